#include "EnvironmentDialogs.h"

#include "EnvironmentEditor.h"
#include "NewEnvironmentDialog.h"
#include "TemplateValuesDialog.h"
#include "TierBanner.h"
#include "contract/WorkspaceImport.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "templates/TemplateCatalog.h"
#include "workspace/EnvironmentChange.h"
#include "workspace/EnvironmentListModel.h"
#include "workspace/EnvironmentTemplate.h"

#include <QMessageBox>
#include <QPushButton>

EnvironmentDialogs::EnvironmentDialogs(EnvironmentListModel *environments, Authorizer *authorizer, SecretStore *secrets, QWidget *window)
    : QObject(window)
    , m_environments(environments)
    , m_authorizer(authorizer)
    , m_secrets(secrets)
    , m_window(window)
{
}

QStringList EnvironmentDialogs::namesExcept(const QString &environmentId) const
{
    QStringList names;
    for (const auto &e : m_environments->workspace().environments()) {
        if (e.id != environmentId)
            names.append(e.name);
    }
    return names;
}

void EnvironmentDialogs::create()
{
    const QStringList names = namesExcept();
    // First what it is and what it starts from: nothing of the Demo comes along unless chosen.
    auto *ask = new NewEnvironmentDialog(NewEnvironmentDialog::Purpose::Create, m_environments->uniqueName(tr("New environment")),
                                         Environment::NewTier, names, m_authorizer->builtinResolver() != nullptr, m_window);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    connect(ask, &QDialog::accepted, this, [this, ask, names] {
        if (ask->startFrom() == EnvironmentTemplate::Kind::Api) {
            createFromTemplate(ask->templateId(), ask->name(), ask->tier(), names);
            return;
        }
        const Environment demo = m_authorizer->builtinResolver() ? m_authorizer->resolved(Workspace::demoEnvironment()) : Environment();
        editNew(EnvironmentTemplate::create(ask->startFrom(), ask->name(), ask->tier(), demo), names, {});
    });
    ask->open();
}

void EnvironmentDialogs::createFromTemplate(const QString &templateId, const QString &name, Tier tier, const QStringList &names)
{
    const ApiTemplate *apiTemplate = TemplateCatalog::builtIn().find(templateId);
    if (!apiTemplate)
        return;
    auto *values = new TemplateValuesDialog(*apiTemplate, name, tier, m_window);
    values->setAttribute(Qt::WA_DeleteOnClose);
    connect(values, &QDialog::accepted, this, [this, values, names] {
        if (values->environment())
            editNew(*values->environment(), names, values->requests());
    });
    values->open();
}

void EnvironmentDialogs::editNew(const Environment &environment, const QStringList &names, const QList<SavedRequest> &requests)
{
    auto *editor = new EnvironmentEditor(m_secrets, m_environments->workspace().id(), m_window);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    editor->setWindowTitle(tr("New Environment"));
    editor->setEnvironment(environment);
    editor->setExistingNames(names);
    connect(editor, &QDialog::accepted, this, [this, editor, requests] {
        const int row = m_environments->upsert(editor->environment());
        // A template's example requests, as an import brings them: once, updated in place when the
        // template is used again, under unique names, scanned for credentials.
        if (!requests.isEmpty()) {
            ImportPlan plan;
            plan.sourceKind = QStringLiteral("Template");
            plan.document = requests.first().origin.document;
            plan.requests = requests;
            Workspace next = m_environments->workspace();
            QString error;
            if (WorkspaceImport::apply(&next, plan, &error))
                m_environments->replaceWorkspace(next);
            else
                Q_EMIT message(tr("The template's example requests were not added: %1").arg(error), 8000);
        }
        Q_EMIT added(row);
    });
    editor->open();
}

void EnvironmentDialogs::duplicate(const Environment &source)
{
    auto *ask = new NewEnvironmentDialog(NewEnvironmentDialog::Purpose::Duplicate, m_environments->uniqueName(tr("%1 copy").arg(source.name)),
                                         source.tier, namesExcept(), false, m_window);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    const QString sourceId = source.id;
    connect(ask, &QDialog::accepted, this, [this, ask, sourceId] {
        const int copy = m_environments->duplicate(m_environments->rowOf(sourceId), ask->name(), ask->tier());
        if (copy >= 0) {
            Q_EMIT added(copy);
            Q_EMIT message(tr("Duplicated. Secrets are not copied: authorize once to store this copy's secret."), 8000);
        }
    });
    ask->open();
}

void EnvironmentDialogs::edit(const Environment &environment)
{
    auto *editor = new EnvironmentEditor(m_secrets, m_environments->workspace().id(), m_window);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    editor->setWindowTitle(tr("Edit %1").arg(environment.name));
    editor->setEnvironment(environment);
    editor->setExistingNames(namesExcept(environment.id));
    const Environment original = environment;
    connect(editor, &QDialog::accepted, this, [this, editor, original] {
        // A token is dropped only when what it was fetched with changed: a new variable or
        // context header shapes the API requests, not the token.
        if (EnvironmentChange::affectsToken(original, editor->environment()) || editor->secretsChanged())
            m_authorizer->forget(original.id);
        if (original.keepRefreshToken && !editor->environment().keepRefreshToken)
            m_authorizer->forgetKeptRefreshToken(original.id);
        // Against the profile as the editor opened it: a change another program made meanwhile is not overwritten.
        m_environments->upsertEdited(editor->environment(), original);
        Q_EMIT edited();
    });
    editor->open();
}

void EnvironmentDialogs::remove(const Environment &environment)
{
    if (environment.isBuiltinDemo())
        return;
    const Environment doomed = environment;
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Delete environment"),
                                tr("Delete the environment \"%1\" (%2)?\nIts secrets are removed from the keychain too.")
                                    .arg(doomed.name, TierBanner::tierLabel(doomed.tier)),
                                QMessageBox::Cancel, m_window);
    box->setObjectName(QStringLiteral("deleteConfirmation"));
    QPushButton *removeButton = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, removeButton, doomed] {
        if (box->clickedButton() != removeButton)
            return;
        // As confirmed: if another program changed it meanwhile, that is a conflict, and its secrets stay.
        if (!m_environments->removeKnown(doomed))
            return;
        m_authorizer->logout(doomed.id);
        m_secrets->removeEnvironment(m_environments->workspace().id(), doomed);
    });
    box->open();
}
