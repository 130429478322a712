#include "contract/OpenApiServer.h"

#include "contract/OpenApiDocument.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {
QUrl absoluteHttpUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"https"_s && scheme != u"http"_s) || url.host().isEmpty())
        return {};
    return url;
}

QList<OpenApiServer> swaggerServers(const QJsonObject &root, QStringList *notes)
{
    const QString host = root.value(u"host"_s).toString().trimmed();
    QString basePath = root.value(u"basePath"_s).toString().trimmed();
    if (!basePath.isEmpty() && !basePath.startsWith(u'/'))
        basePath.prepend(u'/');
    QStringList schemes;
    for (const QJsonValue &scheme : root.value(u"schemes"_s).toArray()) {
        const QString name = scheme.toString().toLower();
        if ((name == u"https"_s || name == u"http"_s) && !schemes.contains(name))
            schemes.append(name);
    }
    if (schemes.contains(u"https"_s) && schemes.contains(u"http"_s)) {
        schemes.removeAll(u"http"_s);
        notes->append(u"the document offers http and https; only https is imported"_s);
    }
    if (schemes.isEmpty())
        schemes.append(u"https"_s);
    OpenApiServer server;
    if (host.isEmpty()) {
        server.written = basePath.isEmpty() ? u"/"_s : basePath;
        return {server};
    }
    QList<OpenApiServer> servers;
    for (const QString &scheme : std::as_const(schemes)) {
        server.written = u"%1://%2%3"_s.arg(scheme, host, basePath);
        server.url = absoluteHttpUrl(server.written);
        if (server.url.isEmpty())
            notes->append(u"host \"%1\" does not make a URL; the API URL must be entered"_s.arg(host.left(200)));
        servers.append(server);
    }
    return servers;
}
} // namespace

QList<OpenApiServer> OpenApiServer::read(const OpenApiDocument &document, QStringList *notes)
{
    if (document.kind() == OpenApiDocument::Kind::Swagger2)
        return swaggerServers(document.root(), notes);

    QList<OpenApiServer> servers;
    const QJsonArray entries = document.root().value(u"servers"_s).toArray();
    for (const QJsonValue &entry : entries) {
        if (servers.size() == MaxServers) {
            notes->append(u"only the first %1 of the document's %2 servers are imported"_s.arg(MaxServers).arg(entries.size()));
            break;
        }
        const QJsonObject object = document.object(entry);
        OpenApiServer server;
        server.written = object.value(u"url"_s).toString().trimmed();
        server.description = object.value(u"description"_s).toString().trimmed();
        QString url = server.written;
        const QJsonObject variables = document.object(object.value(u"variables"_s));
        for (auto it = variables.begin(); it != variables.end(); ++it) {
            const QJsonObject variable = document.object(it.value());
            const QJsonValue fallback = variable.value(u"default"_s);
            const QString value = fallback.isString() ? fallback.toString() : fallback.toVariant().toString();
            server.variables.append({it.key(), value});
            url.replace(u"{%1}"_s.arg(it.key()), value);
            QStringList hint;
            if (const QString text = variable.value(u"description"_s).toString().trimmed(); !text.isEmpty())
                hint.append(text);
            QStringList allowed;
            for (const QJsonValue &choice : variable.value(u"enum"_s).toArray())
                allowed.append(choice.isString() ? choice.toString() : choice.toVariant().toString());
            if (!allowed.isEmpty())
                hint.append(u"one of %1"_s.arg(allowed.join(u", "_s)));
            server.variableHints.append(hint.join(u"; "_s));
        }
        server.url = absoluteHttpUrl(url);
        if (server.url.isEmpty() && !server.written.isEmpty() && !server.written.startsWith(u'/'))
            notes->append(u"server \"%1\" is not an http(s) URL; its API URL must be entered"_s.arg(server.written.left(200)));
        servers.append(server);
    }
    if (servers.isEmpty()) {
        OpenApiServer server;
        server.written = u"/"_s;
        servers.append(server);
    }
    return servers;
}
