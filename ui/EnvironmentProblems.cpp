#include "EnvironmentProblems.h"

using namespace Qt::StringLiterals;

void EnvironmentProblems::beginPage(int index, const QString &title)
{
    m_page = index;
    // A tab title doubles its ampersands ("Scopes && parameters"); the summary shows one.
    m_title = QString(title).replace(u"&&"_s, u"&"_s);
}

void EnvironmentProblems::error(const QString &text)
{
    if (m_page < 0) {
        generalError(text);
        return;
    }
    m_errors.append(u"%1: %2"_s.arg(m_title, text));
    m_pagesWithErrors.insert(m_page);
}

void EnvironmentProblems::generalError(const QString &text)
{
    m_errors.append(text);
}

void EnvironmentProblems::missing(const QString &what)
{
    m_missing.append(what);
}
