#pragma once

#include <QString>

#include <curl/curl.h>

// libcurl, loaded on first use rather than linked: linked, it makes every start of the CLI and
// the GUI pay for libcurl's two dozen dependencies (GnuTLS, Kerberos, LDAP, …), about 4 ms here,
// also for commands that never call an API (`tokenbench-cli token`). Qt loads OpenSSL the same
// way. Only the functions the engine calls are resolved; the types come from curl.h.
// TOKENBENCH_LIBCURL names another libcurl file to load instead.
struct CurlLibrary
{
    // The process's libcurl, loaded and initialised once, thread-safely; null when it cannot be
    // loaded, with the reason in *error.
    static const CurlLibrary *instance(QString *error = nullptr);

    decltype(&::curl_global_init) global_init = nullptr;
    decltype(&::curl_easy_init) easy_init = nullptr;
    decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
    decltype(&::curl_easy_setopt) easy_setopt = nullptr;
    decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
    decltype(&::curl_easy_strerror) easy_strerror = nullptr;
    decltype(&::curl_slist_append) slist_append = nullptr;
    decltype(&::curl_slist_free_all) slist_free_all = nullptr;
    decltype(&::curl_multi_init) multi_init = nullptr;
    decltype(&::curl_multi_setopt) multi_setopt = nullptr;
    decltype(&::curl_multi_add_handle) multi_add_handle = nullptr;
    decltype(&::curl_multi_remove_handle) multi_remove_handle = nullptr;
    decltype(&::curl_multi_socket_action) multi_socket_action = nullptr;
    decltype(&::curl_multi_info_read) multi_info_read = nullptr;
    decltype(&::curl_multi_cleanup) multi_cleanup = nullptr;
    decltype(&::curl_version_info) version_info = nullptr;
};
