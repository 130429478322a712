#pragma once

#include <QJsonObject>
#include <QString>

// A matrix cell's evidence (MatrixCellResult::evidence, already redacted) as the text of an HTTP
// exchange, for people: the request line and headers, its body, then the response's status line,
// headers and body, or why no answer came. What the JUnit, HTML and terminal reports show.
class MatrixExchangeText
{
public:
    static QString of(const QJsonObject &evidence);
    // Text safe to put in XML 1.0 (and so in HTML): characters XML cannot hold at all, the C0
    // controls but tab and line breaks among them, as U+FFFD. A response body may hold anything.
    static QString xmlSafe(const QString &text);
};
