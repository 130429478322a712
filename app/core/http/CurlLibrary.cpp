#include "http/CurlLibrary.h"

#include <QLibrary>
#include <QStringList>

namespace {
struct Loaded
{
    CurlLibrary functions;
    QString error;
    bool ok = false;
};

template<typename Function>
bool resolve(QLibrary &library, const char *name, Function *out, QStringList *missing)
{
    *out = reinterpret_cast<Function>(library.resolve(name));
    if (!*out)
        missing->append(QString::fromLatin1(name));
    return *out != nullptr;
}

Loaded load()
{
    Loaded loaded;
    // The runtime names of the library: libcurl.so.4 (Linux), libcurl.4.dylib (macOS),
    // libcurl.dll / libcurl-x64.dll (Windows builds).
    static QLibrary library;
    QStringList tried;
    QList<QPair<QString, int>> candidates = {{QStringLiteral("curl"), 4}, {QStringLiteral("libcurl"), -1},
                                             {QStringLiteral("libcurl-x64"), -1}, {QStringLiteral("libcurl-4"), -1}};
    // A libcurl of the user's choosing (another build, another TLS back end): that one only.
    if (const QString chosen = qEnvironmentVariable("TOKENBENCH_LIBCURL"); !chosen.isEmpty())
        candidates = {{chosen, -1}};
    for (const auto &[name, version] : candidates) {
        if (version >= 0)
            library.setFileNameAndVersion(name, version);
        else
            library.setFileName(name);
        if (library.load())
            break;
        tried.append(library.errorString());
    }
    if (!library.isLoaded()) {
        loaded.error = QStringLiteral("libcurl could not be loaded (install libcurl4): %1").arg(tried.join(QStringLiteral("; ")));
        return loaded;
    }
    CurlLibrary &f = loaded.functions;
    QStringList missing;
    resolve(library, "curl_global_init", &f.global_init, &missing);
    resolve(library, "curl_easy_init", &f.easy_init, &missing);
    resolve(library, "curl_easy_cleanup", &f.easy_cleanup, &missing);
    resolve(library, "curl_easy_setopt", &f.easy_setopt, &missing);
    resolve(library, "curl_easy_getinfo", &f.easy_getinfo, &missing);
    resolve(library, "curl_easy_strerror", &f.easy_strerror, &missing);
    resolve(library, "curl_slist_append", &f.slist_append, &missing);
    resolve(library, "curl_slist_free_all", &f.slist_free_all, &missing);
    resolve(library, "curl_multi_init", &f.multi_init, &missing);
    resolve(library, "curl_multi_setopt", &f.multi_setopt, &missing);
    resolve(library, "curl_multi_add_handle", &f.multi_add_handle, &missing);
    resolve(library, "curl_multi_remove_handle", &f.multi_remove_handle, &missing);
    resolve(library, "curl_multi_socket_action", &f.multi_socket_action, &missing);
    resolve(library, "curl_multi_info_read", &f.multi_info_read, &missing);
    resolve(library, "curl_multi_cleanup", &f.multi_cleanup, &missing);
    resolve(library, "curl_version_info", &f.version_info, &missing);
    if (!missing.isEmpty()) {
        loaded.error = QStringLiteral("%1 lacks %2: libcurl 7.87 or later is needed").arg(library.fileName(), missing.join(QStringLiteral(", ")));
        return loaded;
    }
    if (f.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        loaded.error = QStringLiteral("libcurl could not be initialised");
        return loaded;
    }
    loaded.ok = true;
    return loaded;
}
} // namespace

const CurlLibrary *CurlLibrary::instance(QString *error)
{
    static const Loaded loaded = load(); // thread-safe once (C++11 statics)
    if (!loaded.ok && error)
        *error = loaded.error;
    return loaded.ok ? &loaded.functions : nullptr;
}
