#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QUrl>

// What the environment editor accepts in its fields, one rule each, with the reason in words.
class EnvironmentFieldCheck
{
    Q_DECLARE_TR_FUNCTIONS(EnvironmentFieldCheck)

public:
    struct UrlCheck
    {
        QString error; // empty when the URL may be saved
        bool plainHttpRemote = false;
    };

    // https (or http) with a host, no user info; a token endpoint has no #fragment either.
    static UrlCheck checkUrl(const QString &text, bool tokenEndpoint);
    static bool isPlainHttpRemote(const QString &text);
    // The form's text as a QUrl; invalid text still comes back (isValid() keeps it from being saved).
    static QUrl urlFromText(const QString &text);
    // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    static bool isScopeToken(const QString &scope);
    // RFC 9110 §5.6.2 token: what a header name may be made of.
    static bool isHeaderName(const QString &name);
    // Why a file is not an unencrypted PEM private key (PKCS#8, PKCS#1 RSA, SEC 1 EC), empty when it is.
    static QString privateKeyProblem(const QByteArray &pem);
    // Why text is not a proxy URL (http, https, socks5 or socks5h with a host, no credentials), empty when it is.
    static QString proxyUrlProblem(const QString &text);
    // The no-proxy list as typed (commas or spaces between hosts).
    static QStringList hostList(const QString &text);
    // The names TemplateExpander resolves; anything else stays literal in the header.
    static bool isVariableName(const QString &name);
};
