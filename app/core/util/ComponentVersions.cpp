#include "util/ComponentVersions.h"

#include "BuildInfo.h"
#include "http/CurlLibrary.h"

#include <QtGlobal>

ComponentVersions ComponentVersions::current()
{
    ComponentVersions versions;
    versions.tokenbench = QString::fromLatin1(BuildInfo::version);
    versions.qtRuntime = QString::fromLatin1(qVersion());
    versions.qtCompiled = QStringLiteral(QT_VERSION_STR);
    versions.qtKeychain = QString::fromLatin1(BuildInfo::qtKeychainVersion);
    versions.curl = curlVersion(&versions.curlLoaded);
    return versions;
}

QString ComponentVersions::curlVersion(bool *loaded)
{
    QString error;
    const CurlLibrary *curl = CurlLibrary::instance(&error);
    if (loaded)
        *loaded = curl != nullptr;
    if (!curl)
        return error;
    const curl_version_info_data *info = curl->version_info(CURLVERSION_NOW);
    QString text = QString::fromLatin1(info->version);
    if (info->ssl_version)
        text += QStringLiteral(" (%1)").arg(QString::fromLatin1(info->ssl_version));
    return text;
}
