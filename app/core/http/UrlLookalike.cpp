#include "http/UrlLookalike.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

std::optional<QString> UrlLookalike::intendedUrl(const QString &pathOrUrl)
{
    const QString text = pathOrUrl.trimmed();
    if (text.contains(u"://"_s))
        return std::nullopt;

    static const QRegularExpression mistypedScheme(uR"(^(https?)(?::[/\\]*|[/\\]{2,})(?=[^/\\]))"_s, QRegularExpression::CaseInsensitiveOption);
    if (const auto match = mistypedScheme.match(text); match.hasMatch())
        return match.captured(1).toLower() + u"://"_s + text.mid(match.capturedLength(0));

    static const QRegularExpression bareHost(
        uR"(^(localhost|[0-9]{1,3}(?:\.[0-9]{1,3}){3}|\[[0-9a-f:.]+\]|[a-z0-9-]+(?:\.[a-z0-9-]+)*:[0-9]{1,5})(?::[0-9]{1,5})?(?=[/?#]|$))"_s,
        QRegularExpression::CaseInsensitiveOption);
    if (const auto match = bareHost.match(text); match.hasMatch()) {
        const QString host = match.captured(1).toLower();
        // Loopback is where plain http is normal; anything else is most likely https.
        const bool loopback = host.startsWith(u"localhost"_s) || host.startsWith(u"127."_s) || host.startsWith(u"[::1]"_s);
        return (loopback ? u"http://"_s : u"https://"_s) + text;
    }
    return std::nullopt;
}
