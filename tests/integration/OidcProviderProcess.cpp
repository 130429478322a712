#include "OidcProviderProcess.h"

#include <QtCore/QDir>
#include <QtCore/QEventLoop>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonParseError>
#include <QtCore/QProcess>
#include <QtCore/QProcessEnvironment>
#include <QtCore/QStandardPaths>
#include <QtCore/QTimer>

namespace {

QString compiledPackageDir()
{
#ifdef TOKENBENCH_OIDC_DIR
    return QString::fromUtf8(TOKENBENCH_OIDC_DIR);
#else
    return {};
#endif
}

QString compiledServerScript()
{
#ifdef TOKENBENCH_OIDC_SERVER_SCRIPT
    return QString::fromUtf8(TOKENBENCH_OIDC_SERVER_SCRIPT);
#else
    return {};
#endif
}

QString firstNonEmpty(const QString &a, const QString &b)
{
    return a.isEmpty() ? b : a;
}

QString findNode()
{
    const QString overridden = qEnvironmentVariable("TOKENBENCH_NODE");
    if (!overridden.isEmpty())
        return overridden;
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (!node.isEmpty())
        return node;
    return QStandardPaths::findExecutable(QStringLiteral("nodejs")); // Debian's other name
}

} // namespace

OidcProviderProcess::OidcProviderProcess(QObject *parent)
    : QObject(parent)
    , m_packageDir(firstNonEmpty(qEnvironmentVariable("TOKENBENCH_OIDC_DIR"), compiledPackageDir()))
    , m_serverScript(firstNonEmpty(qEnvironmentVariable("TOKENBENCH_OIDC_SERVER_SCRIPT"), compiledServerScript()))
{
    if (m_serverScript.isEmpty() && !m_packageDir.isEmpty())
        m_serverScript = QDir(m_packageDir).filePath(QStringLiteral("server.mjs"));
}

OidcProviderProcess::OidcProviderProcess(const QString &packageDir, QObject *parent)
    : QObject(parent)
    , m_packageDir(packageDir)
    , m_serverScript(QDir(packageDir).filePath(QStringLiteral("server.mjs")))
{
}

OidcProviderProcess::~OidcProviderProcess()
{
    stop();
}

void OidcProviderProcess::setExtraArguments(const QStringList &arguments)
{
    m_extraArguments = arguments;
}

bool OidcProviderProcess::fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    stop();
    return false;
}

bool OidcProviderProcess::start(QString *error)
{
    if (m_process)
        return fail(error, QStringLiteral("OidcProviderProcess::start() called twice"));

    m_ready = false;
    m_stopping = false;
    m_stdoutBuffer.clear();
    m_stderr.clear();
    m_issuer.clear();
    m_tokenEndpoint.clear();
    m_port = 0;
    m_apiBase.clear();
    m_apiPort = 0;
    m_mtlsBase.clear();
    m_mtlsApiBase.clear();

    if (m_packageDir.isEmpty()) {
        return fail(error, QStringLiteral("No oidc-provider package directory: set TOKENBENCH_OIDC_DIR or build "
                                          "through tests/integration/CMakeLists.txt (tokenbench_add_oidc_test)."));
    }
    const QDir packageDir(m_packageDir);
    if (!QFileInfo::exists(m_serverScript)) {
        return fail(error, QStringLiteral("The authorization server script %1 does not exist; re-run CMake, "
                                          "which copies tests/integration/oidc into the build tree.")
                               .arg(QDir::toNativeSeparators(m_serverScript)));
    }
    if (!QFileInfo::exists(packageDir.filePath(QStringLiteral("node_modules/oidc-provider/package.json")))) {
        return fail(error, QStringLiteral("oidc-provider is not installed in %1. Run the npm install step first: "
                                          "`ctest --test-dir <build> -R oidc_provider_npm_install` "
                                          "(or `npm ci --prefix %2`).")
                               .arg(QDir::toNativeSeparators(packageDir.filePath(QStringLiteral("node_modules"))),
                                    QDir::toNativeSeparators(m_packageDir)));
    }
    const QString node = findNode();
    if (node.isEmpty()) {
        return fail(error, QStringLiteral("Node.js (`node` or `nodejs`) was not found in PATH; "
                                          "install it or point TOKENBENCH_NODE at it."));
    }

    m_process = new QProcess(this);
    m_process->setProgram(node);
    m_process->setArguments(QStringList{m_serverScript, QStringLiteral("--port"), QStringLiteral("0")}
                            + m_extraArguments);
    m_process->setWorkingDirectory(m_packageDir);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("NODE_OPTIONS")); // no debugger/loader surprises from the caller
    m_process->setProcessEnvironment(environment);

    connect(m_process, &QProcess::readyReadStandardOutput, this, &OidcProviderProcess::onReadyReadStandardOutput);
    connect(m_process, &QProcess::readyReadStandardError, this, &OidcProviderProcess::onReadyReadStandardError);
    connect(m_process, &QProcess::finished, this, &OidcProviderProcess::onFinished);

    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    bool failedToStart = false;
    bool timedOut = false;
    connect(&timeout, &QTimer::timeout, &loop, [&loop, &timedOut] {
        timedOut = true;
        loop.quit();
    });
    // Connected after onReadyReadStandardOutput, so m_ready is already up to date here.
    connect(m_process, &QProcess::readyReadStandardOutput, &loop, [this, &loop] {
        if (m_ready)
            loop.quit();
    });
    connect(m_process, &QProcess::finished, &loop, &QEventLoop::quit);
    connect(m_process, &QProcess::errorOccurred, &loop, [&loop, &failedToStart](QProcess::ProcessError processError) {
        if (processError == QProcess::FailedToStart) {
            failedToStart = true;
            loop.quit();
        }
    });

    m_process->start(QIODevice::ReadWrite); // stdin stays open: the server exits when it closes
    timeout.start(StartTimeoutMs);
    if (!failedToStart && !m_ready && m_process->state() != QProcess::NotRunning)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    timeout.stop();

    if (m_ready)
        return true;

    // Collect whatever it said before giving up on it.
    onReadyReadStandardError();
    const QString stderrText = QString::fromUtf8(m_stderr).trimmed();
    const QString details = stderrText.isEmpty() ? QString() : QStringLiteral("\nstderr:\n%1").arg(stderrText);
    const QString command = QStringLiteral("%1 %2").arg(m_process->program(), m_process->arguments().join(QLatin1Char(' ')));

    if (failedToStart) {
        return fail(error, QStringLiteral("Could not start `%1`: %2").arg(command, m_process->errorString()));
    }
    if (m_process->state() == QProcess::NotRunning) {
        return fail(error, QStringLiteral("`%1` exited (code %2) before it was ready.%3")
                               .arg(command)
                               .arg(m_process->exitCode())
                               .arg(details));
    }
    if (timedOut) {
        return fail(error, QStringLiteral("`%1` printed no ready line within %2 s.%3")
                               .arg(command)
                               .arg(StartTimeoutMs / 1000)
                               .arg(details));
    }
    return fail(error, QStringLiteral("`%1` did not become ready.%2").arg(command, details));
}

void OidcProviderProcess::stop()
{
    if (!m_process)
        return;

    m_stopping = true;
    if (m_process->state() != QProcess::NotRunning) {
        // EOF on stdin makes server.mjs shut down by itself; SIGTERM and SIGKILL are the fallbacks.
        m_process->closeWriteChannel();
        if (!m_process->waitForFinished(1000)) {
            m_process->terminate();
            if (!m_process->waitForFinished(StopTimeoutMs)) {
                m_process->kill();
                m_process->waitForFinished(StopTimeoutMs);
            }
        }
    }
    m_stderr += m_process->readAllStandardError();

    disconnect(m_process, nullptr, this, nullptr);
    // Not deleted synchronously: stop() may run inside one of the process' own signals.
    m_process->deleteLater();
    m_process = nullptr;
    m_ready = false;
}

bool OidcProviderProcess::isRunning() const
{
    return m_process && m_ready && m_process->state() == QProcess::Running;
}

QUrl OidcProviderProcess::issuer() const
{
    return m_issuer;
}

QUrl OidcProviderProcess::tokenEndpoint() const
{
    return m_tokenEndpoint;
}

QUrl OidcProviderProcess::discoveryUrl() const
{
    if (m_issuer.isEmpty())
        return {};
    QUrl url = m_issuer;
    QString path = url.path();
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/.well-known/openid-configuration"));
    return url;
}

quint16 OidcProviderProcess::port() const
{
    return m_port;
}

QUrl OidcProviderProcess::apiBase() const
{
    return m_apiBase;
}

QUrl OidcProviderProcess::mtlsBase() const
{
    return m_mtlsBase;
}

QUrl OidcProviderProcess::mtlsApiBase() const
{
    return m_mtlsApiBase;
}

quint16 OidcProviderProcess::apiPort() const
{
    return m_apiPort;
}

QString OidcProviderProcess::packageDir() const
{
    return m_packageDir;
}

QString OidcProviderProcess::serverScript() const
{
    return m_serverScript;
}

QString OidcProviderProcess::standardErrorOutput() const
{
    return QString::fromUtf8(m_stderr);
}

void OidcProviderProcess::onReadyReadStandardOutput()
{
    if (!m_process)
        return;
    m_stdoutBuffer += m_process->readAllStandardOutput();
    qsizetype newline = 0;
    while ((newline = m_stdoutBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_stdoutBuffer.left(newline).trimmed();
        m_stdoutBuffer.remove(0, newline + 1);
        if (!m_ready && parseReadyLine(line))
            m_ready = true;
        else if (!line.isEmpty())
            m_stderr += QByteArrayLiteral("[stdout] ") + line + '\n'; // not expected, kept for diagnostics
    }
}

void OidcProviderProcess::onReadyReadStandardError()
{
    if (m_process)
        m_stderr += m_process->readAllStandardError();
}

void OidcProviderProcess::onFinished(int exitCode)
{
    const bool wasReady = m_ready;
    m_ready = false;
    if (wasReady && !m_stopping)
        Q_EMIT unexpectedlyFinished(exitCode);
}

bool OidcProviderProcess::parseReadyLine(const QByteArray &line)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return false;
    const QJsonObject object = document.object();
    const QUrl issuerUrl(object.value(QLatin1String("issuer")).toString());
    const QUrl tokenUrl(object.value(QLatin1String("token_endpoint")).toString());
    const int listeningPort = object.value(QLatin1String("port")).toInt(-1);
    if (!issuerUrl.isValid() || issuerUrl.isEmpty() || !tokenUrl.isValid() || tokenUrl.isEmpty()
        || listeningPort <= 0 || listeningPort > 65535) {
        return false;
    }
    // The resource API (server.mjs prints both since it has one).
    const QUrl apiUrl(object.value(QLatin1String("api_base")).toString());
    const int apiListeningPort = object.value(QLatin1String("api_port")).toInt(-1);
    if (!apiUrl.isValid() || apiUrl.isEmpty() || apiUrl.port() != apiListeningPort || apiListeningPort <= 0
        || apiListeningPort > 65535) {
        return false;
    }
    m_issuer = issuerUrl;
    m_tokenEndpoint = tokenUrl;
    m_port = static_cast<quint16>(listeningPort);
    m_apiBase = apiUrl;
    m_apiPort = static_cast<quint16>(apiListeningPort);
    // Only with the --mtls-* options.
    m_mtlsBase = QUrl(object.value(QLatin1String("mtls_base")).toString());
    m_mtlsApiBase = QUrl(object.value(QLatin1String("mtls_api_base")).toString());
    return true;
}

QString OidcProviderProcess::apiResource()
{
    return QStringLiteral("urn:tokenbench:api");
}

QString OidcProviderProcess::apiRealm()
{
    return QStringLiteral("oidc-fixture");
}

QStringList OidcProviderProcess::apiScopes()
{
    return {QStringLiteral("accounts:read"), QStringLiteral("accounts:execute"), QStringLiteral("trades:read"),
            QStringLiteral("trades:execute")};
}

OidcFixtureClient OidcProviderProcess::basicClient()
{
    return {QStringLiteral("tb-basic"), QStringLiteral("basic-secret"), QStringLiteral("client_secret_basic")};
}

OidcFixtureClient OidcProviderProcess::postClient()
{
    return {QStringLiteral("tb-post"), QStringLiteral("post-secret"), QStringLiteral("client_secret_post")};
}

OidcFixtureClient OidcProviderProcess::specialClient()
{
    return {QStringLiteral("tb:special id+%&/="), QStringLiteral("s3cr:et+%& u/=~*'()!"),
            QStringLiteral("client_secret_basic")};
}

QList<OidcFixtureClient> OidcProviderProcess::clients()
{
    return {basicClient(), postClient(), specialClient()};
}

QString OidcProviderProcess::passwordGrantType()
{
    return QStringLiteral("password");
}

OidcFixtureClient OidcProviderProcess::passwordClient()
{
    return {QStringLiteral("tb-password"), QStringLiteral("password-secret"), QStringLiteral("client_secret_post")};
}

QList<OidcFixtureClient> OidcProviderProcess::passwordGrantClients()
{
    return clients() << passwordClient();
}

OidcFixtureUser OidcProviderProcess::passwordUser()
{
    // \u00e9 is 'é' (a UTF-16 literal, independent of the source and execution charsets).
    return {QStringLiteral("acct-ana-0001"), QStringLiteral("ana@example.com"), QStringLiteral("p@ss w:rd+&%\u00e9")};
}
