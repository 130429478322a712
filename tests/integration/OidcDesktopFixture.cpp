#include "OidcDesktopFixture.h"

#include "AuthorizeDialog.h"
#include "ComposerView.h"
#include "EnvironmentEditor.h"
#include "ScopePicker.h"
#include "scopes/ScopeModel.h"

#include <QAction>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QListView>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPointer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTreeView>

#include <algorithm>

using namespace Qt::StringLiterals;

QString OidcDesktopFixture::startDesktop(const QString &applicationName, const QStringList &serverArguments, bool manualClock)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"Tokenbench-tests"_s);
    QCoreApplication::setApplicationName(applicationName);
    QSettings().clear();
    if (!m_dir.isValid())
        return u"no temporary folder: %1"_s.arg(m_dir.errorString());
    QString error;
    m_server.setExtraArguments(serverArguments);
    if (!m_server.start(&error))
        return error;
    m_model = std::make_unique<EnvironmentListModel>();
    if (!m_model->open(m_dir.filePath(u"ws.json"_s), &error))
        return error;
    m_authorizer = std::make_unique<Authorizer>(&m_secrets, manualClock ? &m_clock : nullptr);
    m_authorizer->setWorkspaceId(m_model->workspace().id());
    m_window = std::make_unique<MainWindow>(m_model.get(), m_authorizer.get(), &m_secrets);
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get()))
        return u"the main window was not shown"_s;
    return {};
}

QString OidcDesktopFixture::addEnvironmentByIssuer(const QString &name, const QString &clientId, GrantType grant, ClientAuthStyle clientAuth,
                                                   QString *error, const QStringList &scopes, const QList<TokenParam> &params,
                                                   const ProxySetting &proxy)
{
    // What the user types first; everything about the provider comes from its issuer.
    Environment env;
    env.name = name;
    env.tier = Tier::Staging;
    env.apiBaseUrl = m_server.apiBase();
    env.clientId = clientId;
    env.scopes = scopes;
    env.params = params;
    env.proxy = proxy;
    const QString id = m_model->environmentAt(m_model->upsert(env))->id;
    selectEnvironment(id);
    m_window->findChild<QAction *>(u"editEnvironmentAction"_s)->trigger();
    QPointer<EnvironmentEditor> editor;
    if (!QTest::qWaitFor([&] { return (editor = m_window->findChild<EnvironmentEditor *>()) && editor->isVisible(); })) {
        *error = u"the environment editor did not open"_s;
        return {};
    }

    // Issuer URL…: the provider's issuer typed into its dialog, OK.
    QTest::mouseClick(editor->findChild<QPushButton *>(u"issuerDiscovery"_s), Qt::LeftButton);
    QInputDialog *ask = nullptr;
    if (!QTest::qWaitFor([&] { return (ask = editor->findChild<QInputDialog *>(u"issuerDialog"_s)) && ask->isVisible(); })) {
        *error = u"the issuer dialog did not open"_s;
        return {};
    }
    auto *issuerEdit = ask->findChild<QLineEdit *>();
    issuerEdit->selectAll();
    QTest::keyClicks(issuerEdit, m_server.issuer().toString());
    QTest::keyClick(issuerEdit, Qt::Key_Return);
    auto *tokenUrl = editor->findChild<QLineEdit *>(u"tokenUrl"_s);
    if (!QTest::qWaitFor([&] { return tokenUrl->text() == m_server.tokenEndpoint().toString(); }, 15000)) {
        *error = u"discovery did not fill the token URL: %1"_s.arg(tokenUrl->text());
        return {};
    }

    // The grant and the client authentication this client is registered with.
    auto *grantBox = editor->findChild<QComboBox *>(u"grantType"_s);
    grantBox->setCurrentIndex(grantBox->findData(static_cast<int>(grant)));
    auto *authBox = editor->findChild<QComboBox *>(u"clientAuth"_s);
    authBox->setCurrentIndex(authBox->findData(static_cast<int>(clientAuth)));
    QPushButton *ok = editor->findChild<QDialogButtonBox *>(u"buttons"_s)->button(QDialogButtonBox::Ok);
    if (!QTest::qWaitFor([&] { return ok->isEnabled(); })) {
        *error = u"the editor refuses to save: %1"_s.arg(editor->firstProblem());
        return {};
    }
    QTest::mouseClick(ok, Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return !editor || !editor->isVisible(); }, 10000)) {
        *error = u"the editor did not close"_s;
        return {};
    }
    const Environment *saved = m_model->environmentAt(m_model->rowOf(id));
    if (!saved || saved->grant != grant || saved->provider.issuer != m_server.issuer() || saved->scopes != scopes || saved->params != params || saved->proxy != proxy) {
        *error = u"the environment was not saved from the issuer's metadata"_s;
        return {};
    }
    return id;
}

void OidcDesktopFixture::selectEnvironment(const QString &id)
{
    auto *list = m_window->findChild<QListView *>(u"environmentList"_s);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(m_model->index(m_model->rowOf(id))).center());
}

AuthorizeDialog *OidcDesktopFixture::openAuthorizeDialog()
{
    m_window->findChild<QAction *>(u"authorizeAction"_s)->trigger();
    AuthorizeDialog *dialog = nullptr;
    const bool shown = QTest::qWaitFor([&] {
        const auto dialogs = m_window->findChildren<AuthorizeDialog *>();
        for (AuthorizeDialog *candidate : dialogs) {
            if (candidate->isVisible())
                dialog = candidate;
        }
        return dialog != nullptr;
    });
    return shown ? dialog : nullptr;
}

void OidcDesktopFixture::closeAuthorizeDialogs()
{
    const auto dialogs = m_window->findChildren<AuthorizeDialog *>();
    for (AuthorizeDialog *dialog : dialogs) {
        if (dialog->isVisible())
            dialog->reject();
    }
    [[maybe_unused]] const bool closed = QTest::qWaitFor([this] {
        const auto open = m_window->findChildren<AuthorizeDialog *>();
        return std::none_of(open.cbegin(), open.cend(), [](const AuthorizeDialog *dialog) { return dialog->isVisible(); });
    });
}

bool OidcDesktopFixture::pickScopes(AuthorizeDialog *dialog, const QStringList &scopes, QString *error)
{
    QTest::mouseClick(dialog->findChild<QPushButton *>(u"scopeSelectNone"_s), Qt::LeftButton);
    auto *tree = dialog->findChild<QTreeView *>(u"scopeTree"_s);
    tree->setFocus();
    for (const QString &scope : scopes) {
        const QModelIndexList found =
            tree->model()->match(tree->model()->index(0, 0), ScopeModel::NameRole, scope, 1, Qt::MatchExactly | Qt::MatchRecursive);
        if (found.isEmpty()) {
            *error = u"the picker does not list %1"_s.arg(scope);
            return false;
        }
        tree->setCurrentIndex(found.first());
        QTest::keyClick(tree, Qt::Key_Space);
    }
    if (dialog->selectedScopes() != scopes) {
        *error = u"the picker has %1"_s.arg(dialog->selectedScopes().join(u' '));
        return false;
    }
    return true;
}

QProcess *OidcDesktopFixture::startNodeScript(const QString &script, const QStringList &arguments, const QStringList &environment)
{
    auto *process = new QProcess(m_window.get());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &pair : environment)
        env.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
    process->setProcessEnvironment(env);
    process->start(QStringLiteral(TOKENBENCH_NODE_EXECUTABLE), QStringList{script} + arguments);
    m_scripts.append(process);
    return process;
}

void OidcDesktopFixture::finishNodeScripts()
{
    for (QProcess *process : std::as_const(m_scripts)) {
        if (!QTest::qWaitFor([process] { return process->state() == QProcess::NotRunning; }, 30000)) {
            process->kill();
            process->waitForFinished(5000);
        }
        process->deleteLater();
    }
    m_scripts.clear();
}

QJsonObject OidcDesktopFixture::jwtClaims(const QString &jwt)
{
    const QByteArray payload = QByteArray::fromBase64(jwt.section(u'.', 1, 1).toLatin1(), QByteArray::Base64UrlEncoding);
    return QJsonDocument::fromJson(payload).object();
}

QStringList OidcDesktopFixture::words(const QString &spaceSeparated)
{
    QStringList list = spaceSeparated.split(u' ', Qt::SkipEmptyParts);
    list.sort();
    return list;
}

QString OidcDesktopFixture::providerKeyId(QString *error)
{
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    QNetworkReply *reply = network.get(QNetworkRequest(m_server.issuer().resolved(QUrl(u"/jwks"_s))));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(10000)) {
        *error = u"no answer from the JWKS"_s;
        return {};
    }
    reply->deleteLater();
    const QJsonArray keys = QJsonDocument::fromJson(reply->readAll()).object().value(u"keys"_s).toArray();
    if (keys.size() != 1) {
        *error = u"the JWKS has %1 keys"_s.arg(keys.size());
        return {};
    }
    return keys.first().toObject().value(u"kid"_s).toString();
}

ComposerView *OidcDesktopFixture::sendGet(const QString &path)
{
    ComposerView *composer = m_window->currentComposer();
    if (!composer)
        return nullptr;
    RequestDraft draft;
    draft.method = QStringLiteral("GET");
    draft.url = path;
    composer->setDraft(draft);
    composer->send();
    return composer;
}
