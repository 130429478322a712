#pragma once

#include <QSet>
#include <QString>
#include <QStringList>

// What one pass of the environment editor's validation found, page by page: wrong content
// (shown in red where it is, first in the summary, prefixed with its page's title) and required
// fields still empty (listed quietly until filled in).
class EnvironmentProblems
{
public:
    // Errors reported from now on belong to this page (index in the editor's tabs).
    void beginPage(int index, const QString &title);
    // Wrong content on the current page.
    void error(const QString &text);
    // Wrong content that belongs to no page (the name above the tabs).
    void generalError(const QString &text);
    void missing(const QString &what);

    const QStringList &errors() const { return m_errors; }
    const QStringList &missingFields() const { return m_missing; }
    bool pageHasErrors(int index) const { return m_pagesWithErrors.contains(index); }

private:
    int m_page = -1;
    QString m_title;
    QStringList m_errors;
    QStringList m_missing;
    QSet<int> m_pagesWithErrors;
};
