#include "Cli.h"

#include "http/ProxyPolicy.h"
#include "oauth/ProviderDiscovery.h"
#include "secrets/SecretStore.h"

#include <QEventLoop>

using namespace Qt::StringLiterals;

int Cli::discoverProvider(const QUrl &issuer, const Environment &env, const std::optional<QString> &proxyPassword,
                          std::optional<ProviderMetadata> *metadata)
{
    // The metadata comes through the environment's proxy (or the app's, or --proxy's), as its
    // token and API requests will. A proxy with a user name gets the password given with this
    // command (--proxy-password-stdin, or typed at the terminal), else the one stored for the
    // environment (env set), else it goes without and the proxy's refusal says so.
    const bool proxyUser = env.proxy.mode == ProxyMode::Manual && !env.proxy.username.isEmpty();
    bool havePassword = false;
    if (proxyUser && proxyPassword) {
        ProxyPolicy::setEnvironmentPassword(env.id, *proxyPassword);
        havePassword = true;
    } else if (proxyUser && m_workspace) {
        const SecretResult stored = readSecret(SecretStore::keyFor(m_workspace->id(), env.id, SecretStore::proxyPasswordName()));
        if (stored.status == SecretResult::Status::Found) {
            m_known.add(stored.value, u"the proxy password"_s);
            ProxyPolicy::setEnvironmentPassword(env.id, stored.value);
            havePassword = true;
        }
    }
    ProviderDiscovery discovery;
    discovery.setProxy(ProxyPolicy::forEnvironment(env));
    DiscoveryResult result;
    QEventLoop loop;
    QObject::connect(&discovery, &ProviderDiscovery::finished, &loop, [&](const DiscoveryResult &r) {
        result = r;
        loop.quit();
    });
    discovery.start(issuer, env.trustedCertificates, env.allowInsecureHttp);
    loop.exec();

    // A proxy that wants credentials answers 407 (tinyproxy: 401) for every document.
    const auto passwordHint = [&] {
        if (proxyUser && !havePassword)
            m_print.err() << "The proxy user " << env.proxy.username << " has no password here: pipe it in with --proxy-password-stdin, "
                          << "or type it when asked at a terminal." << Qt::endl;
    };
    switch (result.failure) {
    case DiscoveryResult::Failure::None:
        *metadata = result.metadata;
        if (!m_print.json())
            m_print.err() << "Read the metadata of " << issuer.toDisplayString() << " from " << result.documentUrl.toDisplayString() << Qt::endl;
        return Ok;
    case DiscoveryResult::Failure::InvalidIssuer:
        return usageError(u"--issuer: "_s + result.problem);
    case DiscoveryResult::Failure::Transport:
        m_print.err() << "Discovery failed: " << m_known.mask(result.problem) << Qt::endl;
        passwordHint();
        return TransportFailed;
    case DiscoveryResult::Failure::NotFound:
        m_print.err() << "Discovery failed: " << result.problem << Qt::endl
                      << "Check the issuer URL: it is the \"issuer\" the provider documents, without /.well-known/…" << Qt::endl;
        passwordHint();
        return ServerRefused;
    case DiscoveryResult::Failure::BadDocument:
        m_print.err() << "Discovery refused the metadata: " << result.problem << Qt::endl;
        return BadResponse;
    }
    return Unexpected;
}
