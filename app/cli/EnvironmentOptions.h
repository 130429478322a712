#pragma once

#include "oauth/ProviderMetadata.h"
#include "workspace/Environment.h"

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>

class QCommandLineParser;

// The options that describe an environment (--token-url, --scope, --var, …), shared by `env add`
// (onto an empty profile or a template's environment) and `env set` (onto an existing one): only
// the options given change anything. Lists given again replace what they name: --scope replaces
// the scopes, --var/--param/--header replace the row of the same name or add one.
class EnvironmentOptions
{
public:
    EnvironmentOptions();

    QList<QCommandLineOption> options() const;
    // Whether any option of this class was given (env set refuses to change nothing).
    bool anySet(const QCommandLineParser &parser) const;
    bool tierSet(const QCommandLineParser &parser) const;
    // The --tier given, if valid; false with *error otherwise.
    bool tier(const QCommandLineParser &parser, std::optional<Tier> *out, QString *error) const;
    // The --var pairs, in order; false with *error for one that is not K=V.
    bool variables(const QCommandLineParser &parser, QList<QPair<QString, QString>> *out, QString *error) const;
    // Changes *env by the options given; false with *error (a usage error) and *env partly
    // changed: the caller discards it. --cacert is read by the caller (certificateFiles).
    bool apply(const QCommandLineParser &parser, Environment *env, QString *error) const;
    // Why the environment cannot be saved as it stands once its options and files are in: a
    // client authenticated by its certificate (RFC 8705) with none. Empty when nothing is missing.
    static QString missingRequirement(const Environment &env);
    QStringList certificateFiles(const QCommandLineParser &parser) const;
    // The key and certificate files given (empty when not): read by the caller, the keys into
    // the keychain (Cli::readEnvironmentKeys), never kept as paths.
    QString privateKeyFile(const QCommandLineParser &parser) const;
    QString clientCertificateFile(const QCommandLineParser &parser) const;
    QString clientKeyFile(const QCommandLineParser &parser) const;
    bool urlsSet(const QCommandLineParser &parser) const;
    // The options given (as --name) that the built-in Demo provides itself: its endpoints,
    // client, user, trust and keys. Its grant, client authentication, scopes and rows are the user's.
    QStringList providedByDemo(const QCommandLineParser &parser) const;
    bool clientIdSet(const QCommandLineParser &parser) const;
    // --proxy-user given (a new user name wants its password) and --proxy-password-stdin.
    bool proxyUserSet(const QCommandLineParser &parser) const;
    bool proxyPasswordFromStdin(const QCommandLineParser &parser) const;
    // --issuer: whose metadata fills the endpoints (the caller runs discovery); false with
    // *error for one that is no issuer URL.
    bool issuer(const QCommandLineParser &parser, QUrl *out, QString *error) const;
    // Which of the choices discovery may make were given explicitly.
    ProviderMetadata::Choices discoveryChoices(const QCommandLineParser &parser) const;

    const QCommandLineOption &tokenUrlOption() const { return m_tokenUrl; }
    const QCommandLineOption &apiUrlOption() const { return m_apiUrl; }
    const QCommandLineOption &clientIdOption() const { return m_clientId; }
    const QCommandLineOption &issuerOption() const { return m_issuer; }

private:
    bool applyProxy(const QCommandLineParser &parser, ProxySetting *proxy, QString *error) const;

    QCommandLineOption m_tokenUrl;
    QCommandLineOption m_apiUrl;
    QCommandLineOption m_clientId;
    QCommandLineOption m_tier;
    QCommandLineOption m_grant;
    QCommandLineOption m_clientAuth;
    QCommandLineOption m_username;
    QCommandLineOption m_scope;
    QCommandLineOption m_param;
    QCommandLineOption m_secretParam;
    QCommandLineOption m_header;
    QCommandLineOption m_var;
    QCommandLineOption m_insecure;
    QCommandLineOption m_keepRefreshToken;
    QCommandLineOption m_forgetRefreshToken;
    QCommandLineOption m_revocationUrl;
    QCommandLineOption m_introspectionUrl;
    QCommandLineOption m_cacert;
    QCommandLineOption m_issuer;
    QCommandLineOption m_authorizationUrl;
    QCommandLineOption m_redirectPort;
    QCommandLineOption m_deviceAuthorizationUrl;
    QCommandLineOption m_signingKeyId;
    QCommandLineOption m_privateKey;
    QCommandLineOption m_clientCert;
    QCommandLineOption m_clientKey;
    QCommandLineOption m_proxy;
    QCommandLineOption m_noProxy;
    QCommandLineOption m_proxyUser;
    QCommandLineOption m_proxyPasswordStdin;
};
