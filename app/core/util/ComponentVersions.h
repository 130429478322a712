#pragma once

#include <QString>

// The versions a bug report needs: Tokenbench's own, and those of the libraries it runs on — Qt as
// loaded now and as built against, QtKeychain, and the libcurl actually loaded (CurlLibrary finds
// it at run time, so it can differ from the one built against). Shown by Help ▸ About Tokenbench.
struct ComponentVersions
{
    QString tokenbench;
    QString qtRuntime;
    QString qtCompiled;
    QString qtKeychain;
    // "8.1.2 (OpenSSL/3.0.11)"; when libcurl cannot be loaded, why not.
    QString curl;
    bool curlLoaded = false;

    static ComponentVersions current();
    // The libcurl in use: its version and TLS back end, or the reason it is not loaded.
    static QString curlVersion(bool *loaded = nullptr);
};
