#include "EnvironmentEditor.h"

#include "EnvironmentConnectionPage.h"
#include "IssuerDiscoveryButton.h"
#include "EnvironmentCredentialsPage.h"
#include "EnvironmentEndpointsPage.h"
#include "EnvironmentHeadersPage.h"
#include "EnvironmentNetworkPage.h"
#include "EnvironmentProblems.h"
#include "EnvironmentScopesPage.h"
#include "FormNote.h"
#include "NoteSlot.h"
#include "SecretField.h"

#include "http/ProxyPolicy.h"
#include "secrets/SecretStore.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QTabWidget>
#include <QUuid>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

EnvironmentEditor::EnvironmentEditor(SecretStore *secrets, const QString &workspaceId, QWidget *parent)
    : QDialog(parent)
    , m_workspaceId(workspaceId)
    , m_store(secrets)
    , m_secrets(new EnvironmentSecrets(secrets, workspaceId, this))
{
    buildUi();
    setEnvironment(Environment{});
}

EnvironmentEditor::~EnvironmentEditor()
{
    // ~QDialog hides the dialog, and an open table cell editor commits on focus loss: its
    // itemChanged must not reach slots of an object whose members are already gone.
    for (QObject *child : findChildren<QObject *>())
        child->disconnect(this);
}

void EnvironmentEditor::buildUi()
{
    setWindowTitle(tr("New environment"));
    setSizeGripEnabled(true);

    auto *top = new QGridLayout;
    m_name = new QLineEdit;
    m_name->setObjectName(u"envName"_s);
    m_name->setAccessibleName(tr("Environment name"));
    m_name->setPlaceholderText(tr("e.g. Staging"));
    auto *nameLabel = new QLabel(tr("&Name:"));
    nameLabel->setBuddy(m_name);
    m_tier = new QComboBox;
    m_tier->setObjectName(u"envTier"_s);
    m_tier->setAccessibleName(tr("Tier"));
    m_tier->addItem(tr("Sandbox"), static_cast<int>(Tier::Sandbox));
    m_tier->addItem(tr("Staging"), static_cast<int>(Tier::Staging));
    m_tier->addItem(tr("Production"), static_cast<int>(Tier::Production));
    m_tier->addItem(tr("Custom"), static_cast<int>(Tier::Custom));
    auto *tierLabel = new QLabel(tr("&Tier:"));
    tierLabel->setBuddy(m_tier);
    m_nameMessage = FormNote::label(u"envNameMessage"_s, FormNote::Tone::Error);
    m_productionNote = FormNote::label(u"productionNote"_s, FormNote::Tone::Danger);
    m_productionNote->setMargin(6);
    m_productionNote->setText(tr("Production: requests here touch real data."));
    top->addWidget(nameLabel, 0, 0);
    top->addWidget(m_name, 0, 1);
    top->addWidget(tierLabel, 0, 2);
    top->addWidget(m_tier, 0, 3);
    top->addWidget(new NoteSlot(nullptr, {m_nameMessage}), 1, 1, 1, 3);
    top->addWidget(m_productionNote, 2, 0, 1, 4);
    top->setColumnStretch(1, 1);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(u"tabs"_s);
    m_tabs->setAccessibleName(tr("Environment settings"));
    // The warning icon a tab gets for an error is no taller than its text: the pages do not move.
    m_tabs->setIconSize(QSize(fontMetrics().height(), fontMetrics().height()));
    // Every tab in view: scroll arrows would hide pages and take a Tab stop of their own; a
    // title too long for the width is elided instead.
    m_tabs->setUsesScrollButtons(false);
    m_tabs->setElideMode(Qt::ElideRight);
    auto *connection = new EnvironmentConnectionPage;
    addPage(connection, tr("Connection"));
    auto *credentials = new EnvironmentCredentialsPage(m_secrets);
    auto *endpoints = new EnvironmentEndpointsPage;
    auto *network = new EnvironmentNetworkPage(m_secrets);
    m_network = network;
    // The issuer's metadata: the token URL into its field; the endpoints and the scopes the
    // catalog lacks kept with the environment; the grant and client authentication picked as
    // the CLI's --issuer does (ProviderMetadata::applyTo) unless the user chose them here.
    // The Endpoints page shows the provider's endpoints: reloaded from the metadata, or its
    // fields (read when the environment is stored) would put back what was there before.
    connection->issuerDiscovery()->setProxyProvider([this](auto done) { discoveryProxy(done); });
    connect(connection->issuerDiscovery(), &IssuerDiscoveryButton::discovered, this,
            [this, connection, credentials, endpoints](const ProviderMetadata &metadata) {
                connection->applyMetadata(metadata);
                Environment current = environment();
                const Environment before = current;
                metadata.applyTo(&current, credentials->choices());
                credentials->setGrant(current.grant, current.clientAuth);
                m_original.provider = current.provider;
                m_original.scopeCatalog = current.scopeCatalog;
                endpoints->load(current);
                QStringList picked;
                if (current.grant != before.grant)
                    picked.append(tr("grant %1").arg(Environment::grantName(current.grant)));
                if (current.clientAuth != before.clientAuth)
                    picked.append(tr("client authentication %1").arg(Environment::clientAuthName(current.clientAuth)));
                if (!picked.isEmpty())
                    connection->issuerDiscovery()->addToNote(tr("Picked what it supports: %1.").arg(picked.join(tr(" and "))));
                validate();
            });
    addPage(credentials, tr("Credentials"));
    addPage(new EnvironmentScopesPage(m_secrets), tr("Scopes && parameters"));
    addPage(new EnvironmentHeadersPage, tr("Headers && variables"));
    addPage(endpoints, tr("Endpoints"));
    addPage(network, tr("Network"));

    m_summary = FormNote::label(u"validationSummary"_s, FormNote::Tone::Error);
    m_saveStatus = FormNote::label(u"saveStatus"_s, FormNote::Tone::Plain);
    m_saveStatus->setAccessibleName(tr("Keychain save status"));

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->setObjectName(u"buttons"_s);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &EnvironmentEditor::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &EnvironmentEditor::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_saveStatus);
    layout->addWidget(m_buttons);

    // Keyboard order follows the reading order of each tab; hidden and disabled widgets are skipped.
    QList<QWidget *> order = {m_name, m_tier, m_tabs};
    for (const EnvironmentPage *page : std::as_const(m_pages))
        order += page->focusOrder();
    order.append(m_buttons);
    for (qsizetype i = 1; i < order.size(); ++i)
        setTabOrder(order.at(i - 1), order.at(i));

    connect(m_name, &QLineEdit::textChanged, this, &EnvironmentEditor::validate);
    connect(m_tier, &QComboBox::currentIndexChanged, this, &EnvironmentEditor::updateTierNote);
    connect(m_secrets, &EnvironmentSecrets::statusChanged, this, &EnvironmentEditor::onSecretStatusChanged);
    connect(m_secrets, &EnvironmentSecrets::saveFinished, this, &EnvironmentEditor::finishSave);

    // Wide enough that the plain-http checkbox, when it appears, does not make the dialog jump,
    // and tall enough for the Network page's two groups.
    resize(660, 620);
    applyTones();
}

void EnvironmentEditor::discoveryProxy(const std::function<void(const ProxyPolicy &)> &done) const
{
    const Environment current = environment();
    const ProxyPolicy policy = ProxyPolicy::forEnvironment(current);
    if (current.proxy.mode != ProxyMode::Manual || current.proxy.username.isEmpty() || !policy.problem().isEmpty())
        return done(policy);
    const auto withPassword = [policy](const QString &password) {
        ProxyRoute route = policy.proxy();
        route.password = password;
        return ProxyPolicy::manual(route, policy.noProxy());
    };
    if (const QString typed = m_network->typedProxyPassword(); !typed.isEmpty())
        return done(withPassword(typed));
    if (!m_store)
        return done(policy);
    // Asked again rather than remembered: the editor keeps no secret's value.
    m_store->read(SecretStore::keyFor(m_workspaceId, current.id, SecretStore::proxyPasswordName()),
                  [policy, withPassword, done](const SecretResult &result) {
                      done(result.status == SecretResult::Status::Found ? withPassword(result.value) : policy);
                  });
}

void EnvironmentEditor::addPage(EnvironmentPage *page, const QString &title)
{
    m_pages.append(page);
    m_tabs->addTab(page, title);
    connect(page, &EnvironmentPage::edited, this, &EnvironmentEditor::validate);
}

void EnvironmentEditor::setEnvironment(const Environment &environment)
{
    m_loading = true;
    m_saving = false;
    setFormEnabled(true);
    FormNote::setShown(m_saveStatus, false);

    const bool isNew = environment.id.isEmpty();
    m_original = environment;
    if (isNew)
        m_original.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    // Answers for the environment shown before no longer count.
    m_secrets->reset(m_original.id);
    setWindowTitle(isNew ? tr("New environment") : tr("Edit environment “%1”").arg(environment.name));

    m_name->setText(environment.name);
    m_tier->setCurrentIndex(std::max(0, m_tier->findData(static_cast<int>(environment.tier))));
    for (EnvironmentPage *page : std::as_const(m_pages))
        page->load(m_original);
    m_tabs->setCurrentIndex(0);
    updateTierNote();
    applyTones();
    m_loading = false;

    // A new environment's id was made just now: nothing can be stored under it yet, so the
    // keychain is not asked (and a locked one does not prompt for a dialog that is only opening).
    for (const EnvironmentPage *page : std::as_const(m_pages)) {
        for (const QString &name : page->secretNames()) {
            if (isNew)
                m_secrets->assumeNotStored(name);
            else
                m_secrets->read(name);
        }
    }
    refreshSecrets();
    validate();
}

Environment EnvironmentEditor::environment() const
{
    Environment env = m_original; // id and builtin come from what was loaded
    env.name = m_name->text().trimmed();
    env.tier = static_cast<Tier>(m_tier->currentData().toInt());
    for (const EnvironmentPage *page : m_pages)
        page->store(env);
    return env;
}

void EnvironmentEditor::setExistingNames(const QStringList &names)
{
    m_existingNames = names;
    validate();
}

bool EnvironmentEditor::isValid() const
{
    return m_problems.isEmpty();
}

QString EnvironmentEditor::firstProblem() const
{
    return m_problems.value(0);
}

void EnvironmentEditor::updateTierNote()
{
    const bool production = static_cast<Tier>(m_tier->currentData().toInt()) == Tier::Production;
    FormNote::setShown(m_productionNote, production);
    m_tier->setAccessibleDescription(production ? m_productionNote->text() : QString());
}

void EnvironmentEditor::refreshSecrets()
{
    for (EnvironmentPage *page : std::as_const(m_pages))
        page->refreshSecrets();
}

void EnvironmentEditor::onSecretStatusChanged(const QString &name)
{
    refreshSecrets();
    validate();
    if (m_secrets->status(name).state == EnvironmentSecrets::State::Checking)
        return;
    // A field's note says what OK will do with what was typed; a parameter's, the keychain's answer.
    QString text = m_secrets->statusText(name);
    for (const SecretField *field : findChildren<SecretField *>()) {
        if (field->secretName() == name)
            text = field->statusText();
    }
    Q_EMIT secretStatusChanged(tr("%1: %2").arg(EnvironmentSecrets::label(name), text));
}

void EnvironmentEditor::validate()
{
    if (m_loading)
        return;
    const QPalette base = palette();
    EnvironmentProblems problems;

    const QString name = m_name->text().trimmed();
    QString nameError;
    if (name.isEmpty()) {
        problems.missing(tr("a name"));
    } else if (std::any_of(m_existingNames.cbegin(), m_existingNames.cend(),
                           [&name](const QString &other) { return other.trimmed().compare(name, Qt::CaseInsensitive) == 0; })) {
        nameError = tr("Another environment is already named “%1”.").arg(name);
        problems.generalError(nameError);
    }
    FormNote::show(m_nameMessage, FormNote::Tone::Error, nameError, base);
    m_name->setAccessibleDescription(nameError);

    const Environment current = environment();
    for (qsizetype index = 0; index < m_pages.size(); ++index) {
        problems.beginPage(static_cast<int>(index), m_tabs->tabText(static_cast<int>(index)));
        m_pages.at(index)->check(current, problems);
    }

    const QStringList &errors = problems.errors();
    m_problems = errors;
    if (!problems.missingFields().isEmpty())
        m_problems.append(tr("Still needed: %1.").arg(problems.missingFields().join(u", "_s)));

    const QIcon warningIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (int tab = 0; tab < m_tabs->count(); ++tab)
        m_tabs->setTabIcon(tab, problems.pageHasErrors(tab) ? warningIcon : QIcon());

    if (!errors.isEmpty())
        FormNote::show(m_summary, FormNote::Tone::Error,
                       errors.size() == 1 ? errors.constFirst()
                                          : tr("%1 (+%n more)", nullptr, static_cast<int>(errors.size() - 1)).arg(errors.constFirst()),
                       base);
    else
        FormNote::show(m_summary, FormNote::Tone::Muted, m_problems.value(0), base);

    if (QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok))
        ok->setEnabled(m_problems.isEmpty() && !m_saving);
}

void EnvironmentEditor::applyTones()
{
    const QPalette base = palette();
    for (QLabel *label : findChildren<QLabel *>()) {
        if (FormNote::isNote(label))
            FormNote::paint(label, base);
    }
    for (EnvironmentPage *page : std::as_const(m_pages))
        page->applyTones(base);
}

void EnvironmentEditor::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyTones();
}

void EnvironmentEditor::accept()
{
    if (m_saving)
        return;
    validate();
    if (!isValid())
        return;
    const Environment current = environment();
    QList<EnvironmentSecrets::Op> ops;
    for (const EnvironmentPage *page : std::as_const(m_pages))
        ops += page->secretOps(current);
    m_secretsChanged = !ops.isEmpty();
    if (ops.isEmpty()) {
        QDialog::accept();
        return;
    }
    if (!m_secrets->hasStore()) {
        // Closing would silently drop what the user typed.
        FormNote::show(m_saveStatus, FormNote::Tone::Error, tr("No keychain is connected: the secrets you typed cannot be saved."), palette());
        return;
    }

    m_saving = true;
    setFormEnabled(false);
    FormNote::show(m_saveStatus, FormNote::Tone::Plain, tr("Saving to keychain…"), palette());
    m_secrets->save(ops);
}

void EnvironmentEditor::finishSave(const QStringList &errors)
{
    if (!m_saving)
        return;
    m_saving = false;
    setFormEnabled(true);
    if (!errors.isEmpty()) {
        FormNote::show(m_saveStatus, FormNote::Tone::Error,
                       tr("Not saved. %1. Press OK to try again, or Cancel.").arg(errors.join(u"; "_s)), palette());
        return;
    }
    FormNote::setShown(m_saveStatus, false);
    QDialog::accept();
}

void EnvironmentEditor::reject()
{
    // The keychain is already writing; closing now would leave the caller not knowing what was stored.
    if (m_saving)
        return;
    for (EnvironmentPage *page : std::as_const(m_pages))
        page->clearTypedSecrets();
    QDialog::reject();
}

void EnvironmentEditor::setFormEnabled(bool enabled)
{
    m_name->setEnabled(enabled);
    m_tier->setEnabled(enabled);
    m_tabs->setEnabled(enabled);
    for (QAbstractButton *button : m_buttons->buttons())
        button->setEnabled(enabled);
    if (enabled)
        validate(); // puts the OK button back to what the form allows
}
