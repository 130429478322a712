#include "demo/DemoRequestParams.h"

#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

QString DemoRequestParams::formDecode(QByteArray encoded)
{
    encoded.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(encoded));
}

QByteArray DemoRequestParams::mediaType(const QHttpServerRequest &request)
{
    QByteArray type = request.value("Content-Type"_ba);
    const qsizetype semicolon = type.indexOf(';');
    if (semicolon >= 0)
        type.truncate(semicolon);
    return type.trimmed().toLower();
}

bool DemoRequestParams::read(const QHttpServerRequest &request, QHash<QString, QString> *params, QString *problem)
{
    const QByteArray type = mediaType(request);
    const QByteArray body = request.body();
    if (type == "application/json") {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            *problem = u"The JSON body is not a JSON object"_s;
            return false;
        }
        const QJsonObject object = document.object();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.value().isNull())
                continue;
            if (!it.value().isString()) {
                *problem = u"The parameter \"%1\" must be a string"_s.arg(it.key());
                return false;
            }
            if (!it.value().toString().isEmpty())
                params->insert(it.key(), it.value().toString());
        }
        return true;
    }
    if (!type.isEmpty() && type != "application/x-www-form-urlencoded") {
        *problem = u"The body must be application/x-www-form-urlencoded or application/json, not %1"_s
                           .arg(QString::fromUtf8(type));
        return false;
    }
    const auto pairs = body.split('&');
    for (const QByteArray &pair : pairs) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        const QString name = formDecode(equals < 0 ? pair : pair.left(equals));
        const QString value = equals < 0 ? QString() : formDecode(pair.mid(equals + 1));
        if (value.isEmpty())
            continue;
        if (params->contains(name)) {
            *problem = u"The parameter \"%1\" is repeated"_s.arg(name);
            return false;
        }
        params->insert(name, value);
    }
    return true;
}
