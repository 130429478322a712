#include "Cli.h"

#include "http/ProxyPolicy.h"
#include "oauth/ProviderDiscovery.h"
#include "secrets/SecretStore.h"

#include <QEventLoop>

using namespace Qt::StringLiterals;

int Cli::discoverProvider(const QUrl &issuer, const Environment &env, std::optional<ProviderMetadata> *metadata)
{
    // The metadata comes through the environment's proxy (or the app's, or --proxy's), as its
    // token and API requests will; a proxy with a user name gets its password from the keychain
    // when one is stored already (env set), else it goes without and the proxy's refusal says so.
    if (env.proxy.mode == ProxyMode::Manual && !env.proxy.username.isEmpty() && m_workspace) {
        const SecretResult stored = readSecret(SecretStore::keyFor(m_workspace->id(), env.id, SecretStore::proxyPasswordName()));
        if (stored.status == SecretResult::Status::Found) {
            m_known.add(stored.value, u"the proxy password"_s);
            ProxyPolicy::setEnvironmentPassword(env.id, stored.value);
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

    switch (result.failure) {
    case DiscoveryResult::Failure::None:
        *metadata = result.metadata;
        if (!m_print.json())
            m_print.err() << "Read the metadata of " << issuer.toDisplayString() << " from " << result.documentUrl.toDisplayString() << Qt::endl;
        return Ok;
    case DiscoveryResult::Failure::InvalidIssuer:
        return usageError(u"--issuer: "_s + result.problem);
    case DiscoveryResult::Failure::Transport:
        m_print.err() << "Discovery failed: " << result.problem << Qt::endl;
        return TransportFailed;
    case DiscoveryResult::Failure::NotFound:
        m_print.err() << "Discovery failed: " << result.problem << Qt::endl
                      << "Check the issuer URL: it is the \"issuer\" the provider documents, without /.well-known/…" << Qt::endl;
        return ServerRefused;
    case DiscoveryResult::Failure::BadDocument:
        m_print.err() << "Discovery refused the metadata: " << result.problem << Qt::endl;
        return BadResponse;
    }
    return Unexpected;
}
