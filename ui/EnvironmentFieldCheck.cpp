#include "EnvironmentFieldCheck.h"

#include "oauth/TokenRequest.h"

#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

QUrl EnvironmentFieldCheck::urlFromText(const QString &text)
{
    if (text.isEmpty())
        return {};
    const QUrl strict(text, QUrl::StrictMode);
    return strict.isValid() ? strict : QUrl(text, QUrl::TolerantMode);
}

EnvironmentFieldCheck::UrlCheck EnvironmentFieldCheck::checkUrl(const QString &text, bool tokenEndpoint)
{
    UrlCheck check;
    if (text.isEmpty()) {
        check.error = tr("Required.");
        return check;
    }
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid()) {
        check.error = tr("Not a valid URL: look for spaces or characters that need percent-encoding.");
    } else if (scheme.isEmpty()) {
        check.error = tokenEndpoint ? tr("Start with https://, e.g. https://auth.example.com/oauth/token.")
                                    : tr("Start with https://, e.g. https://api.example.com/v1.");
    } else if (scheme != u"https"_s && scheme != u"http"_s) {
        check.error = tr("Use an https:// URL; \"%1:\" is not supported.").arg(scheme);
    } else if (url.host().isEmpty()) {
        check.error = tr("The URL needs a host name after %1://.").arg(scheme);
    } else if (!url.userInfo().isEmpty()) {
        check.error = tr("Remove the user name or password from the URL: credentials belong in the "
                         "Credentials tab, never in a URL.");
    } else if (tokenEndpoint && url.hasFragment()) {
        check.error = tr("A token URL cannot have a #fragment (RFC 6749 §3.2).");
    } else if (scheme == u"http"_s && !TokenRequest::isLoopback(url)) {
        check.plainHttpRemote = true;
    }
    return check;
}

bool EnvironmentFieldCheck::isPlainHttpRemote(const QString &text)
{
    return checkUrl(text, true).plainHttpRemote;
}

bool EnvironmentFieldCheck::isScopeToken(const QString &scope)
{
    return std::all_of(scope.cbegin(), scope.cend(), [](QChar c) {
        const char16_t u = c.unicode();
        return u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
    });
}

bool EnvironmentFieldCheck::isHeaderName(const QString &name)
{
    static const QRegularExpression re(u"^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$"_s);
    return re.match(name).hasMatch();
}

bool EnvironmentFieldCheck::isVariableName(const QString &name)
{
    static const QRegularExpression re(u"^[A-Za-z_][A-Za-z0-9_.\\-]*$"_s);
    return re.match(name).hasMatch();
}

QString EnvironmentFieldCheck::privateKeyProblem(const QByteArray &pem)
{
    if (pem.contains("ENCRYPTED"))
        return tr("the key is encrypted; save it without a passphrase first (openssl pkey -in key.pem -out plain.pem).");
    static const QRegularExpression block(u"-----BEGIN (RSA |EC )?PRIVATE KEY-----[A-Za-z0-9+/=\\s:,-]+-----END \\1?PRIVATE KEY-----"_s);
    if (!block.match(QString::fromLatin1(pem)).hasMatch())
        return tr("not a PEM private key (expected -----BEGIN PRIVATE KEY-----).");
    return {};
}

QString EnvironmentFieldCheck::proxyUrlProblem(const QString &text)
{
    if (text.isEmpty())
        return tr("Required.");
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || scheme.isEmpty())
        return tr("Use a URL such as http://proxy.example.com:3128 or socks5://127.0.0.1:1080.");
    if (scheme != u"http"_s && scheme != u"https"_s && scheme != u"socks5"_s && scheme != u"socks5h"_s)
        return tr("\"%1:\" is not a proxy type: use http, https, socks5 or socks5h.").arg(scheme);
    if (url.host().isEmpty())
        return tr("The URL needs a host name after %1://.").arg(scheme);
    if (!url.userInfo().isEmpty())
        return tr("Remove the user name or password from the URL: they go in the fields below, the password to the keychain.");
    if (!url.path().isEmpty() && url.path() != u"/"_s)
        return tr("A proxy URL has no path.");
    return {};
}

QStringList EnvironmentFieldCheck::hostList(const QString &text)
{
    static const QRegularExpression separators(u"[,\\s]+"_s);
    return text.split(separators, Qt::SkipEmptyParts);
}
