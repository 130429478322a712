#include "http/ResponseLimit.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

QString ResponseLimit::parse(const QString &text, qint64 *bytes)
{
    const auto tr = [](const char *source) { return QCoreApplication::translate("ResponseLimit", source); };
    QString number = text.trimmed().toUpper();
    if (number.endsWith(u"IB"_s))
        number.chop(2);
    else if (number.endsWith(u'B') && number.size() > 1 && !number.at(number.size() - 2).isDigit())
        number.chop(1);
    qint64 unit = 1;
    if (number.endsWith(u'K'))
        unit = 1024;
    else if (number.endsWith(u'M'))
        unit = qint64(1024) * 1024;
    else if (number.endsWith(u'G'))
        unit = qint64(1024) * 1024 * 1024;
    if (unit > 1)
        number.chop(1);
    bool ok = false;
    const qint64 count = number.trimmed().toLongLong(&ok);
    // Compared before multiplying, so no figure can overflow.
    if (!ok || count <= 0 || count > maxBodyBytes / unit || count * unit < minBodyBytes)
        return tr("\"%1\" is not a size between %2 and %3 (for example 256M, 1G or a number of bytes)")
            .arg(text, format(minBodyBytes), format(maxBodyBytes));
    *bytes = count * unit;
    return {};
}

QString ResponseLimit::format(qint64 bytes)
{
    static constexpr struct { qint64 size; const char *name; } units[] = {
        {qint64(1024) * 1024 * 1024, "GB"}, {qint64(1024) * 1024, "MB"}, {1024, "KB"}};
    for (const auto &[size, name] : units) {
        if (bytes < size)
            continue;
        const double value = static_cast<double>(bytes) / static_cast<double>(size);
        const bool whole = bytes % size == 0;
        return u"%1 %2"_s.arg(whole ? QString::number(bytes / size) : QString::number(value, 'f', 1), QLatin1StringView(name));
    }
    return u"%1 bytes"_s.arg(bytes);
}
