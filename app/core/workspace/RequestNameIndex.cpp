#include "workspace/RequestNameIndex.h"

RequestNameIndex::RequestNameIndex(const QList<SavedRequest> &requests)
{
    m_names.reserve(requests.size());
    for (const SavedRequest &request : requests)
        insert(request.name);
}

QString RequestNameIndex::key(const QString &name)
{
    // QChar::toCaseFolded is the folding QString::compare applies to each code point (a folding to
    // several characters, as of the German ß, leaves it as it is), so names that compare equal have
    // one key. Lone surrogates all become U+FFFD here: a shared key, told apart by the comparison.
    QList<uint> codePoints = name.trimmed().toUcs4();
    for (uint &codePoint : codePoints)
        codePoint = QChar::toCaseFolded(char32_t(codePoint));
    return QString::fromUcs4(reinterpret_cast<const char32_t *>(codePoints.constData()), codePoints.size());
}

bool RequestNameIndex::contains(const QString &name) const
{
    const auto found = m_names.constFind(key(name));
    if (found == m_names.constEnd())
        return false;
    const QString wanted = name.trimmed();
    for (const QString &known : found.value()) {
        if (known.compare(wanted, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

void RequestNameIndex::insert(const QString &name)
{
    m_names[key(name)].append(name);
}
