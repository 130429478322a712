#include "RequestExport.h"

#include "ComposerView.h"
#include "interop/CurlCommand.h"
#include "secrets/CredentialScan.h"
#include "session/Authorizer.h"
#include "workspace/EnvironmentListModel.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QInputDialog>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>

RequestExport::RequestExport(EnvironmentListModel *environments, Authorizer *authorizer, QWidget *window)
    : QObject(window)
    , m_environments(environments)
    , m_authorizer(authorizer)
    , m_window(window)
{
}

void RequestExport::copyAsCurl(ComposerView *composer, bool withToken, const QString &revealText)
{
    // The placeholder variant promises a command without credentials: one the request itself holds
    // (a known secret, an API key, a token-shaped string) stops it; the revealing variant is the
    // user's explicit choice to copy them.
    if (!withToken) {
        if (const QString finding = CredentialScan(&m_authorizer->knownSecrets()).problem(composer->draft()); !finding.isEmpty()) {
            refuse(tr("Not copied: the request holds a credential."),
                   tr("%1. Copy as curl leaves credentials out; to copy the request with them, use Request ▸ %2.").arg(finding, revealText),
                   tr("Not copied: %1").arg(finding));
            return;
        }
    }
    CurlCommand::PrintOptions options;
    options.credentials = withToken ? CurlCommand::Credentials::Reveal : CurlCommand::Credentials::Placeholder;
    const QString command = CurlCommand::print(composer->curlRequest(), options);
    auto *mime = new QMimeData;
    mime->setText(command);
    if (withToken) {
        // KDE's clipboard managers keep nothing marked like this in their history.
        mime->setData(QStringLiteral("x-kde-passwordManagerHint"), "secret");
    }
    QGuiApplication::clipboard()->setMimeData(mime);
    Q_EMIT message(withToken ? tr("Copied as curl, WITH the access token: paste it only where you would paste the token.")
                             : tr("Copied as curl; the token is $TOKENBENCH_TOKEN."),
                   8000);
}

void RequestExport::save(ComposerView *composer, const QString &environmentId)
{
    auto *ask = new QInputDialog(m_window);
    ask->setObjectName(QStringLiteral("saveRequestDialog"));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(tr("Save request"));
    ask->setLabelText(tr("Name (saved in the workspace file, never with a credential):"));
    const QString previous = composer->property("savedRequestName").toString();
    ask->setTextValue(previous.isEmpty() ? composer->title() : previous);
    QPointer<ComposerView> target(composer);
    connect(ask, &QInputDialog::textValueSelected, this, [this, target, environmentId](const QString &name) {
        if (!target)
            return;
        SavedRequest request;
        request.name = name.trimmed();
        // Saving again under the same name updates it; another name makes a new one.
        if (request.name == target->property("savedRequestName").toString())
            request.id = target->property("savedRequestId").toString();
        else if (const SavedRequest *existing = m_environments->workspace().findRequest(request.name))
            request.id = existing->id;
        request.draft = target->draft();
        const auto keep = [this, target, request] {
            if (!target)
                return;
            // Every secret of the session, in any encoding, and anything shaped like a token.
            if (const QString finding = CredentialScan(&m_authorizer->knownSecrets()).problem(request.draft); !finding.isEmpty()) {
                refuse(tr("The request was not saved: it holds a credential."), CredentialScan::refusal(finding), tr("Not saved: %1").arg(finding));
                return;
            }
            QString error;
            const auto saved = m_environments->saveRequest(request, &error);
            if (!saved) {
                Q_EMIT message(tr("Not saved: %1").arg(error), 10000);
                return;
            }
            target->setProperty("savedRequestId", saved->id);
            target->setProperty("savedRequestName", saved->name);
            Q_EMIT message(tr("Saved \"%1\" in the workspace.").arg(saved->name), 5000);
        };
        if (const Environment *environment = m_environments->findById(environmentId))
            m_authorizer->learnSecrets(*environment, this, keep);
        else
            keep();
    });
    ask->open();
}

void RequestExport::refuse(const QString &text, const QString &why, const QString &statusLine)
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Tokenbench"), text, QMessageBox::Ok, m_window);
    box->setObjectName(QStringLiteral("credentialRefusal"));
    box->setInformativeText(why);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    Q_EMIT message(statusLine, 10000);
}
