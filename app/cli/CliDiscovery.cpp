#include "Cli.h"

#include "oauth/ProviderDiscovery.h"

#include <QEventLoop>

using namespace Qt::StringLiterals;

int Cli::discoverProvider(const QUrl &issuer, const Environment &env, std::optional<ProviderMetadata> *metadata)
{
    ProviderDiscovery discovery;
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
