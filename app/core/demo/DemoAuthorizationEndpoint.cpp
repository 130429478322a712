#include "demo/DemoAuthorizationEndpoint.h"

#include "demo/DemoScopes.h"
#include "demo/DemoServer.h"
#include "oauth/Pkce.h"
#include "oauth/TokenRequest.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using StatusCode = QHttpServerResponse::StatusCode;

namespace {
using Fields = QHash<QString, QString>;

constexpr int codeLifetimeSeconds = 60;
const QStringList carried = {u"response_type"_s, u"client_id"_s, u"redirect_uri"_s, u"scope"_s, u"state"_s, u"code_challenge"_s,
                             u"code_challenge_method"_s};

Fields formFields(const QByteArray &encoded)
{
    Fields fields;
    for (const QByteArray &pair : encoded.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        QByteArray name = eq < 0 ? pair : pair.left(eq);
        QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        name.replace('+', ' ');
        value.replace('+', ' ');
        fields.insert(QUrl::fromPercentEncoding(name), QUrl::fromPercentEncoding(value));
    }
    return fields;
}

QHttpServerResponse page(const QString &title, const QString &body, StatusCode status = StatusCode::Ok)
{
    const QString html = u"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%1</title></head><body><h1>%1</h1>%2</body></html>"_s.arg(
        title.toHtmlEscaped(), body);
    return QHttpServerResponse("text/html; charset=utf-8"_ba, html.toUtf8(), status);
}

QHttpServerResponse redirect(QUrl target, const QList<QPair<QString, QString>> &parameters)
{
    QUrlQuery query(target);
    for (const auto &[name, value] : parameters) {
        if (!value.isEmpty())
            query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    }
    target.setQuery(query);
    QHttpServerResponse response(StatusCode::Found);
    response.setHeader("Location"_ba, target.toEncoded());
    return response;
}

// What is wrong with the request before anything may be redirected; empty when it may.
QString checkClientAndRedirect(const Fields &fields)
{
    const QString clientId = fields.value(u"client_id"_s);
    if (clientId != DemoServer::clientId() && clientId != DemoServer::specialClientId() && clientId != DemoServer::publicClientId())
        return u"Unknown client \"%1\"."_s.arg(clientId);
    const QUrl uri(fields.value(u"redirect_uri"_s), QUrl::StrictMode);
    // A native app's loopback redirect (RFC 8252 §7.3), any port; nothing else is trusted.
    if (!uri.isValid() || uri.scheme() != u"http"_s || !TokenRequest::isLoopback(uri) || uri.hasFragment())
        return u"The redirect URI must be an http loopback URI (http://127.0.0.1:PORT/…)."_s;
    return {};
}

// The RFC 6749 §4.1.2.1 error to redirect with, empty when the request is good.
QString checkRequest(const Fields &fields, QString *description)
{
    if (fields.value(u"response_type"_s) != u"code"_s) {
        *description = u"Only response_type=code is supported"_s;
        return u"unsupported_response_type"_s;
    }
    if (fields.value(u"code_challenge_method"_s) != QLatin1StringView(Pkce::method) || fields.value(u"code_challenge"_s).size() != 43) {
        *description = u"PKCE is required: code_challenge (43 characters) with code_challenge_method=S256"_s;
        return u"invalid_request"_s;
    }
    for (const QString &scope : fields.value(u"scope"_s).split(u' ', Qt::SkipEmptyParts)) {
        if (!DemoScopes::contains(scope)) {
            *description = u"Unknown scope: %1"_s.arg(scope);
            return u"invalid_scope"_s;
        }
    }
    return {};
}
} // namespace

DemoAuthorizationEndpoint::DemoAuthorizationEndpoint(std::function<QUrl()> issuer)
    : m_issuer(std::move(issuer))
{
}

void DemoAuthorizationEndpoint::registerRoutes(QHttpServer *server)
{
    server->route(u"/oauth/authorize"_s, QHttpServerRequest::Method::Get,
                  [this](const QHttpServerRequest &request) { return authorize(request); });
    server->route(u"/oauth/authorize"_s, QHttpServerRequest::Method::Post,
                  [this](const QHttpServerRequest &request) { return decide(request); });
}

QHttpServerResponse DemoAuthorizationEndpoint::authorize(const QHttpServerRequest &request)
{
    const Fields fields = formFields(request.url().query(QUrl::FullyEncoded).toUtf8());
    if (const QString problem = checkClientAndRedirect(fields); !problem.isEmpty())
        return page(u"Authorization request refused"_s, u"<p>%1</p>"_s.arg(problem.toHtmlEscaped()), StatusCode::BadRequest);
    QString description;
    if (const QString error = checkRequest(fields, &description); !error.isEmpty()) {
        return redirect(QUrl(fields.value(u"redirect_uri"_s)), {{u"error"_s, error}, {u"error_description"_s, description},
                                                                 {u"state"_s, fields.value(u"state"_s)}, {u"iss"_s, m_issuer().toString()}});
    }
    QString hidden;
    for (const QString &name : carried)
        hidden += u"<input type=\"hidden\" name=\"%1\" value=\"%2\">"_s.arg(name, fields.value(name).toHtmlEscaped());
    const QString scopes = fields.value(u"scope"_s).isEmpty() ? u"the default scopes"_s : fields.value(u"scope"_s);
    return page(u"Authorize %1"_s.arg(fields.value(u"client_id"_s)),
                u"<p>The Demo API's user %1 is asked to let <b>%2</b> use %3.</p>"
                "<form method=\"post\" action=\"/oauth/authorize\">%4"
                "<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button> "
                "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>"_s.arg(
                    DemoServer::username().toHtmlEscaped(), fields.value(u"client_id"_s).toHtmlEscaped(), scopes.toHtmlEscaped(), hidden));
}

QHttpServerResponse DemoAuthorizationEndpoint::decide(const QHttpServerRequest &request)
{
    const Fields fields = formFields(request.body());
    if (const QString problem = checkClientAndRedirect(fields); !problem.isEmpty())
        return page(u"Authorization request refused"_s, u"<p>%1</p>"_s.arg(problem.toHtmlEscaped()), StatusCode::BadRequest);
    const QUrl redirectUri(fields.value(u"redirect_uri"_s));
    const QString state = fields.value(u"state"_s);
    const QString issuer = m_issuer().toString();
    QString description;
    if (const QString error = checkRequest(fields, &description); !error.isEmpty())
        return redirect(redirectUri, {{u"error"_s, error}, {u"error_description"_s, description}, {u"state"_s, state}, {u"iss"_s, issuer}});
    if (fields.value(u"decision"_s) != u"approve"_s) {
        return redirect(redirectUri, {{u"error"_s, u"access_denied"_s}, {u"error_description"_s, u"The user denied the request"_s},
                                      {u"state"_s, state}, {u"iss"_s, issuer}});
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (auto it = m_codes.begin(); it != m_codes.end();)
        it = it->expiresAt <= now ? m_codes.erase(it) : std::next(it);
    const QString code = QString::fromLatin1(Pkce::randomToken());
    m_codes.insert(code, {{fields.value(u"client_id"_s), fields.value(u"scope"_s).split(u' ', Qt::SkipEmptyParts)},
                          fields.value(u"redirect_uri"_s),
                          fields.value(u"code_challenge"_s).toLatin1(),
                          now.addSecs(codeLifetimeSeconds)});
    return redirect(redirectUri, {{u"code"_s, code}, {u"state"_s, state}, {u"iss"_s, issuer}});
}

std::optional<DemoAuthorizationEndpoint::Grant> DemoAuthorizationEndpoint::redeem(const QString &code, const QString &clientId,
                                                                                  const QString &redirectUri, const QString &verifier,
                                                                                  QString *problem)
{
    // A code is used once, whatever comes of it (RFC 6749 §4.1.2).
    const auto pending = m_codes.take(code);
    if (code.isEmpty() || pending.redirectUri.isEmpty() || pending.expiresAt <= QDateTime::currentDateTimeUtc()) {
        *problem = u"The authorization code is unknown, used or expired"_s;
        return std::nullopt;
    }
    if (pending.grant.clientId != clientId || pending.redirectUri != redirectUri) {
        *problem = u"The authorization code was issued to another client or redirect URI"_s;
        return std::nullopt;
    }
    if (Pkce::challengeFor(verifier.toLatin1()) != pending.challenge) {
        *problem = u"The code_verifier does not match the code_challenge (PKCE)"_s;
        return std::nullopt;
    }
    return pending.grant;
}
