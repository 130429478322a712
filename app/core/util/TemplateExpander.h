#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

// Resolves {{name}} placeholders. Text is never evaluated: an unknown or malformed
// placeholder stays as it was and is reported, so imported templates cannot run anything.
class TemplateExpander
{
public:
    using Variables = QList<QPair<QString, QString>>;

    static QString expand(const QString &text, const Variables &variables, QStringList *unresolved = nullptr);
    static QStringList placeholders(const QString &text);
};
