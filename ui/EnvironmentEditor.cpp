#include "EnvironmentEditor.h"

#include "EnvironmentFieldCheck.h"
#include "FormNote.h"
#include "NoteSlot.h"
#include "ParamValueDelegate.h"

#include "oauth/TokenRequest.h"
#include "secrets/SecretStore.h"
#include "util/TemplateExpander.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSslCertificate>
#include <QStyle>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QUuid>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr int SecretValueRole = ParamValueDelegate::SecretValueRole;
constexpr int ParamNameColumn = ParamValueDelegate::NameColumn;
constexpr int ParamValueColumn = ParamValueDelegate::ValueColumn;
constexpr int ParamSecretColumn = ParamValueDelegate::SecretColumn;

QString bullets(int count)
{
    return QString(count, QChar(0x2022));
}

QString cellText(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text() : QString();
}

bool isChecked(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item && item->checkState() == Qt::Checked;
}

QString parseableUrlText(const QLineEdit *edit)
{
    return edit->text().trimmed();
}

} // namespace

EnvironmentEditor::EnvironmentEditor(SecretStore *secrets, const QString &workspaceId, QWidget *parent)
    : QDialog(parent)
    , m_secrets(secrets)
    , m_workspaceId(workspaceId)
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
    m_tabs->addTab(buildConnectionTab(), tr("Connection"));
    m_tabs->addTab(buildCredentialsTab(), tr("Credentials"));
    m_tabs->addTab(buildScopesTab(), tr("Scopes && parameters"));
    m_tabs->addTab(buildHeadersTab(), tr("Headers && variables"));

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
    const QList<QWidget *> order = {
        m_name, m_tier, m_tabs,
        m_tokenUrl, m_allowInsecureHttp, m_apiUrl, m_addCertificates, m_clearCertificates,
        m_grant, m_clientAuth, m_clientId, m_clientSecret, m_revealClientSecret, m_removeClientSecret,
        m_username, m_password, m_revealPassword, m_removePassword,
        m_scopes, m_params, m_addParam, m_removeParam,
        m_headers, m_addHeader, m_removeHeader, m_variables, m_addVariable, m_removeVariable,
        m_buttons};
    for (qsizetype i = 1; i < order.size(); ++i)
        setTabOrder(order.at(i - 1), order.at(i));

    connect(m_name, &QLineEdit::textChanged, this, &EnvironmentEditor::validate);
    connect(m_tier, &QComboBox::currentIndexChanged, this, &EnvironmentEditor::updateTierNote);
    connect(m_tokenUrl, &QLineEdit::textChanged, this, &EnvironmentEditor::validate);
    connect(m_apiUrl, &QLineEdit::textChanged, this, &EnvironmentEditor::validate);
    connect(m_allowInsecureHttp, &QCheckBox::toggled, this, &EnvironmentEditor::validate);
    connect(m_grant, &QComboBox::currentIndexChanged, this, &EnvironmentEditor::updateGrantRows);
    connect(m_clientAuth, &QComboBox::currentIndexChanged, this, &EnvironmentEditor::updateClientAuthHelp);
    connect(m_clientId, &QLineEdit::textChanged, this, &EnvironmentEditor::validate);
    connect(m_username, &QLineEdit::textChanged, this, &EnvironmentEditor::validate);
    connect(m_scopes, &QLineEdit::textChanged, this, &EnvironmentEditor::validate);
    for (QLineEdit *secret : {m_clientSecret, m_password}) {
        connect(secret, &QLineEdit::textEdited, this, [this, secret] {
            // Typing a new value supersedes a pending removal of the stored one.
            if (!secret->text().isEmpty()) {
                if (secret == m_clientSecret)
                    m_clientSecretRemoval = false;
                else
                    m_passwordRemoval = false;
            }
            refreshSecretWidgets();
        });
    }
    connect(m_params, &QTableWidget::itemChanged, this, &EnvironmentEditor::onParamItemChanged);
    connect(m_headers, &QTableWidget::itemChanged, this, &EnvironmentEditor::validate);
    connect(m_variables, &QTableWidget::itemChanged, this, &EnvironmentEditor::validate);

    // Wide enough that the plain-http checkbox, when it appears, does not make the dialog jump.
    resize(660, 560);
    applyTones();
}

QWidget *EnvironmentEditor::buildConnectionTab()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_demoNote = FormNote::label(u"demoNote"_s, FormNote::Tone::Muted);
    m_demoNote->setText(tr("The built-in Demo API provides this environment's URLs and credentials. "
                           "Its scopes, parameters, headers and variables are yours to edit."));
    form->addRow(m_demoNote);

    m_tokenUrl = new QLineEdit;
    m_tokenUrl->setObjectName(u"tokenUrl"_s);
    m_tokenUrl->setAccessibleName(tr("Token URL"));
    m_tokenUrl->setPlaceholderText(u"https://auth.example.com/oauth/token"_s);
    auto *tokenHint = FormNote::label(u"tokenUrlHint"_s, FormNote::Tone::Muted);
    tokenHint->setText(tr("The authorization server's token endpoint: the client credentials are sent here."));
    tokenHint->setVisible(true);
    m_tokenUrlMessage = FormNote::label(u"tokenUrlMessage"_s, FormNote::Tone::Error);
    m_allowInsecureHttp = new QCheckBox(tr("Allow plain http for this environment (the secret crosses the network unencrypted)"));
    m_allowInsecureHttp->setObjectName(u"allowInsecureHttp"_s);
    m_allowInsecureHttp->setAccessibleName(tr("Allow plain http for this environment"));
    m_allowInsecureHttp->setVisible(false);
    form->addRow(tr("T&oken URL:"), FormNote::stacked(m_tokenUrl, {new NoteSlot(tokenHint, {m_tokenUrlMessage, m_allowInsecureHttp})}));

    m_apiUrl = new QLineEdit;
    m_apiUrl->setObjectName(u"apiUrl"_s);
    m_apiUrl->setAccessibleName(tr("API base URL"));
    m_apiUrl->setPlaceholderText(u"https://api.example.com/v1"_s);
    auto *apiHint = FormNote::label(u"apiUrlHint"_s, FormNote::Tone::Muted);
    apiHint->setText(tr("API requests of this environment are made relative to this URL, with its access token."));
    apiHint->setVisible(true);
    m_apiUrlMessage = FormNote::label(u"apiUrlMessage"_s, FormNote::Tone::Error);
    form->addRow(tr("&API base URL:"), FormNote::stacked(m_apiUrl, {new NoteSlot(apiHint, {m_apiUrlMessage})}));

    // A private CA for this environment's servers: trusted besides the system's, never instead
    // of verification.
    auto *trustRow = new QWidget;
    auto *trustLayout = new QHBoxLayout(trustRow);
    trustLayout->setContentsMargins(0, 0, 0, 0);
    m_trustedSummary = new QLabel;
    m_trustedSummary->setObjectName(u"trustedCertificates"_s);
    m_trustedSummary->setTextFormat(Qt::PlainText);
    m_trustedSummary->setWordWrap(true);
    m_addCertificates = new QPushButton(tr("Add PEM file…"));
    m_addCertificates->setObjectName(u"addCertificates"_s);
    m_addCertificates->setAccessibleName(tr("Add trusted certificates from a PEM file"));
    m_clearCertificates = new QPushButton(tr("Clear"));
    m_clearCertificates->setObjectName(u"clearCertificates"_s);
    m_clearCertificates->setAccessibleName(tr("Trust only the system's certificate authorities"));
    trustLayout->addWidget(m_trustedSummary, 1);
    trustLayout->addWidget(m_addCertificates);
    trustLayout->addWidget(m_clearCertificates);
    m_trustedMessage = FormNote::label(u"trustedCertificatesMessage"_s, FormNote::Tone::Error);
    auto *trustHint = FormNote::label(u"trustedCertificatesHint"_s, FormNote::Tone::Muted);
    trustHint->setText(tr("For servers behind a private certificate authority: trusted besides the system's for this "
                          "environment's token endpoint and API. Certificates are public; they are kept in the workspace file."));
    trustHint->setVisible(true);
    connect(m_addCertificates, &QPushButton::clicked, this, &EnvironmentEditor::chooseCertificates);
    connect(m_clearCertificates, &QPushButton::clicked, this, [this] {
        m_trusted.clear();
        FormNote::show(m_trustedMessage, FormNote::Tone::Error, {}, palette());
        updateTrustedSummary();
    });
    form->addRow(tr("Trusted &certificates:"), FormNote::stacked(trustRow, {new NoteSlot(trustHint, {m_trustedMessage})}, m_addCertificates));
    return page;
}

void EnvironmentEditor::chooseCertificates()
{
    auto *dialog = new QFileDialog(this, tr("Trust the certificates in a PEM file"));
    dialog->setObjectName(u"certificateFileDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters({tr("PEM certificates (*.pem *.crt *.cer)"), tr("All files (*)")});
    connect(dialog, &QFileDialog::fileSelected, this, &EnvironmentEditor::addCertificatesFrom);
    dialog->open();
}

void EnvironmentEditor::addCertificatesFrom(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        FormNote::show(m_trustedMessage, FormNote::Tone::Error, tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()), palette());
        return;
    }
    const QByteArray pem = file.read(4 * 1024 * 1024);
    QString problem;
    if (Environment::describeCertificates(pem, &problem).isEmpty()) {
        FormNote::show(m_trustedMessage, FormNote::Tone::Error, tr("%1: %2").arg(QFileInfo(path).fileName(), problem), palette());
        return;
    }
    // Only the certificates, re-encoded: a key or other text in the file never reaches the workspace.
    for (const QSslCertificate &certificate : QSslCertificate::fromData(pem, QSsl::Pem)) {
        const QByteArray one = certificate.toPem();
        if (!m_trusted.contains(one))
            m_trusted += one;
    }
    FormNote::show(m_trustedMessage, FormNote::Tone::Error, {}, palette());
    updateTrustedSummary();
}

void EnvironmentEditor::updateTrustedSummary()
{
    const QStringList lines = Environment::describeCertificates(m_trusted);
    m_trustedSummary->setText(lines.isEmpty() ? tr("None: the system's certificate authorities only") : lines.join(u'\n'));
    m_clearCertificates->setEnabled(!m_trusted.isEmpty() && !m_original.isBuiltinDemo());
}

QWidget *EnvironmentEditor::secretRow(QLineEdit **field, QToolButton **reveal, QPushButton **remove, const QString &what)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    *field = new QLineEdit;
    (*field)->setEchoMode(QLineEdit::Password);
    (*field)->setAccessibleName(what);
    *reveal = new QToolButton;
    (*reveal)->setCheckable(true);
    (*reveal)->setText(tr("Show"));
    (*reveal)->setAccessibleName(tr("Show %1").arg(what.toLower()));
    (*reveal)->setToolTip(tr("Shows what you type here. A stored secret is never loaded into this dialog."));
    *remove = new QPushButton(tr("Remove stored secret"));
    (*remove)->setAccessibleName(tr("Remove stored %1").arg(what.toLower()));
    layout->addWidget(*field, 1);
    layout->addWidget(*reveal);
    layout->addWidget(*remove);

    QLineEdit *edit = *field;
    QToolButton *toggle = *reveal;
    connect(toggle, &QToolButton::toggled, this, [edit, toggle](bool shown) {
        edit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        toggle->setText(shown ? tr("Hide") : tr("Show"));
    });
    return row;
}

QWidget *EnvironmentEditor::buildCredentialsTab()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_credentialsForm = form;

    m_grant = new QComboBox;
    m_grant->setObjectName(u"grantType"_s);
    m_grant->setAccessibleName(tr("Grant type"));
    m_grant->addItem(tr("Client credentials"), static_cast<int>(GrantType::ClientCredentials));
    m_grant->addItem(tr("Password"), static_cast<int>(GrantType::Password));
    m_grant->addItem(tr("Authorization code with PKCE"), static_cast<int>(GrantType::AuthorizationCode));
    m_grant->addItem(tr("Device code"), static_cast<int>(GrantType::DeviceCode));
    form->addRow(tr("&Grant type:"), m_grant);

    m_clientAuth = new QComboBox;
    m_clientAuth->setObjectName(u"clientAuth"_s);
    m_clientAuth->setAccessibleName(tr("Client authentication"));
    m_clientAuth->addItem(tr("HTTP Basic (RFC 6749 §2.3.1)"), static_cast<int>(ClientAuthStyle::Basic));
    m_clientAuth->addItem(tr("In the request body"), static_cast<int>(ClientAuthStyle::Body));
    m_clientAuth->addItem(tr("JSON body"), static_cast<int>(ClientAuthStyle::Json));
    m_clientAuth->addItem(tr("None (public client)"), static_cast<int>(ClientAuthStyle::None));
    m_clientAuth->addItem(tr("Private key JWT"), static_cast<int>(ClientAuthStyle::PrivateKeyJwt));
    m_clientAuthHelp = FormNote::label(u"clientAuthHelp"_s, FormNote::Tone::Muted);
    m_clientAuthHelp->setVisible(true);
    form->addRow(tr("Client a&uthentication:"), FormNote::stacked(m_clientAuth, {m_clientAuthHelp}));

    m_clientId = new QLineEdit;
    m_clientId->setObjectName(u"clientId"_s);
    m_clientId->setAccessibleName(tr("Client ID"));
    form->addRow(tr("Client &ID:"), m_clientId);

    QWidget *clientSecretFields = secretRow(&m_clientSecret, &m_revealClientSecret, &m_removeClientSecret, tr("Client secret"));
    m_clientSecret->setObjectName(u"clientSecret"_s);
    m_revealClientSecret->setObjectName(u"revealClientSecret"_s);
    m_removeClientSecret->setObjectName(u"removeClientSecret"_s);
    m_clientSecretStatus = FormNote::label(u"clientSecretStatus"_s, FormNote::Tone::Muted);
    m_clientSecretStatus->setAccessibleName(tr("Client secret status"));
    m_clientSecretStatus->setVisible(true);
    m_clientSecretRow = FormNote::stacked(clientSecretFields, {m_clientSecretStatus}, m_clientSecret);
    form->addRow(tr("Client &secret:"), m_clientSecretRow);

    m_username = new QLineEdit;
    m_username->setObjectName(u"username"_s);
    m_username->setAccessibleName(tr("Username"));
    form->addRow(tr("Use&rname:"), m_username);

    QWidget *passwordFields = secretRow(&m_password, &m_revealPassword, &m_removePassword, tr("Password"));
    m_password->setObjectName(u"password"_s);
    m_revealPassword->setObjectName(u"revealPassword"_s);
    m_removePassword->setObjectName(u"removePassword"_s);
    m_passwordStatus = FormNote::label(u"passwordStatus"_s, FormNote::Tone::Muted);
    m_passwordStatus->setAccessibleName(tr("Password status"));
    m_passwordStatus->setVisible(true);
    m_passwordRow = FormNote::stacked(passwordFields, {m_passwordStatus}, m_password);
    form->addRow(tr("&Password:"), m_passwordRow);

    connect(m_removeClientSecret, &QPushButton::clicked, this, [this] {
        m_clientSecretRemoval = !m_clientSecretRemoval;
        if (m_clientSecretRemoval)
            m_clientSecret->clear();
        refreshSecretWidgets();
    });
    connect(m_removePassword, &QPushButton::clicked, this, [this] {
        m_passwordRemoval = !m_passwordRemoval;
        if (m_passwordRemoval)
            m_password->clear();
        refreshSecretWidgets();
    });
    return page;
}

QTableWidget *EnvironmentEditor::makeTable(const QStringList &headers, const QString &accessibleName)
{
    auto *table = new QTableWidget(0, static_cast<int>(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->setAccessibleName(accessibleName);
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                           | QAbstractItemView::AnyKeyPressed | QAbstractItemView::SelectedClicked);
    // Tab leaves the table for its buttons instead of walking the cells.
    table->setTabKeyNavigation(false);
    table->setWordWrap(false);
    table->setItemDelegate(new TableCellDelegate(table));
    return table;
}

QWidget *EnvironmentEditor::tableButtons(QTableWidget *table, QPushButton **add, QPushButton **remove,
                                         const QString &addText, const QString &removeText)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    *add = new QPushButton(addText);
    (*add)->setAccessibleName(addText);
    *remove = new QPushButton(removeText);
    (*remove)->setAccessibleName(removeText);
    (*remove)->setEnabled(false);
    layout->addWidget(*add);
    layout->addWidget(*remove);
    layout->addStretch(1);
    QPushButton *removeButton = *remove;
    connect(*add, &QPushButton::clicked, this, [this, table] { addTableRow(table); });
    connect(removeButton, &QPushButton::clicked, this, [this, table] { removeSelectedRows(table); });
    connect(table, &QTableWidget::itemSelectionChanged, removeButton,
            [table, removeButton] { removeButton->setEnabled(table->selectionModel()->hasSelection()); });
    return row;
}

QWidget *EnvironmentEditor::buildScopesTab()
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);

    auto *scopesLabel = new QLabel(tr("Default &scopes:"));
    m_scopes = new QLineEdit;
    m_scopes->setObjectName(u"scopes"_s);
    m_scopes->setAccessibleName(tr("Default scopes"));
    m_scopes->setPlaceholderText(tr("e.g. accounts:read trades:read"));
    scopesLabel->setBuddy(m_scopes);
    auto *scopesHint = FormNote::label(u"scopesHint"_s, FormNote::Tone::Muted);
    scopesHint->setText(tr("Space-separated. Token requests ask for these unless they name their own."));
    scopesHint->setVisible(true);
    m_scopesMessage = FormNote::label(u"scopesMessage"_s, FormNote::Tone::Error);

    auto *paramsLabel = new QLabel(tr("E&xtra token parameters:"));
    m_params = makeTable({tr("Name"), tr("Value"), tr("Secret")}, tr("Extra token parameters"));
    m_params->setObjectName(u"paramsTable"_s);
    m_params->setItemDelegateForColumn(ParamValueColumn,
                                       new ParamValueDelegate([this](const QString &name) { return paramPlaceholder(name); }, m_params));
    m_params->horizontalHeader()->setStretchLastSection(false);
    m_params->horizontalHeader()->setSectionResizeMode(ParamNameColumn, QHeaderView::Interactive);
    m_params->horizontalHeader()->setSectionResizeMode(ParamValueColumn, QHeaderView::Stretch);
    m_params->horizontalHeader()->setSectionResizeMode(ParamSecretColumn, QHeaderView::ResizeToContents);
    m_params->setColumnWidth(ParamNameColumn, 180);
    paramsLabel->setBuddy(m_params);
    auto *paramsHint = FormNote::label(u"paramsHint"_s, FormNote::Tone::Muted);
    paramsHint->setText(tr("Sent with every token request (audience, resource, …). A secret value is kept in the "
                           "system keychain, never in the workspace file."));
    paramsHint->setVisible(true);
    m_paramsMessage = FormNote::label(u"paramsMessage"_s, FormNote::Tone::Error);

    layout->addWidget(scopesLabel);
    layout->addWidget(m_scopes);
    layout->addWidget(new NoteSlot(scopesHint, {m_scopesMessage}));
    layout->addSpacing(8);
    layout->addWidget(paramsLabel);
    layout->addWidget(paramsHint);
    layout->addWidget(m_params, 1);
    layout->addWidget(tableButtons(m_params, &m_addParam, &m_removeParam, tr("Add parameter"), tr("Remove parameter")));
    layout->addWidget(new NoteSlot(nullptr, {m_paramsMessage}));
    m_addParam->setObjectName(u"addParam"_s);
    m_removeParam->setObjectName(u"removeParam"_s);
    return page;
}

QWidget *EnvironmentEditor::buildHeadersTab()
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);

    auto *headersLabel = new QLabel(tr("Conte&xt headers:"));
    m_headers = makeTable({tr("Name"), tr("Template")}, tr("Context headers"));
    m_headers->setObjectName(u"headersTable"_s);
    m_headers->setColumnWidth(0, 180);
    headersLabel->setBuddy(m_headers);
    auto *headersHint = FormNote::label(u"headersHint"_s, FormNote::Tone::Muted);
    headersHint->setText(tr("Sent with every API request, e.g. X-On-Behalf-Of: user {{userId}}. "
                            "Authorization comes from the access token."));
    headersHint->setVisible(true);
    m_headersMessage = FormNote::label(u"headersMessage"_s, FormNote::Tone::Error);

    auto *variablesLabel = new QLabel(tr("&Variables:"));
    m_variables = makeTable({tr("Name"), tr("Value")}, tr("Variables"));
    m_variables->setObjectName(u"variablesTable"_s);
    m_variables->setColumnWidth(0, 180);
    variablesLabel->setBuddy(m_variables);
    m_variablesMessage = FormNote::label(u"variablesMessage"_s, FormNote::Tone::Error);

    layout->addWidget(headersLabel);
    layout->addWidget(headersHint);
    layout->addWidget(m_headers, 1);
    layout->addWidget(tableButtons(m_headers, &m_addHeader, &m_removeHeader, tr("Add header"), tr("Remove header")));
    layout->addWidget(new NoteSlot(nullptr, {m_headersMessage}));
    layout->addSpacing(8);
    layout->addWidget(variablesLabel);
    layout->addWidget(m_variables, 1);
    layout->addWidget(tableButtons(m_variables, &m_addVariable, &m_removeVariable, tr("Add variable"), tr("Remove variable")));
    layout->addWidget(new NoteSlot(nullptr, {m_variablesMessage}));
    m_addHeader->setObjectName(u"addHeader"_s);
    m_removeHeader->setObjectName(u"removeHeader"_s);
    m_addVariable->setObjectName(u"addVariable"_s);
    m_removeVariable->setObjectName(u"removeVariable"_s);
    return page;
}

void EnvironmentEditor::setEnvironment(const Environment &environment)
{
    m_loading = true;
    ++m_generation;
    m_saving = false;
    m_pendingWrites = 0;
    m_saveErrors.clear();
    setFormEnabled(true);
    FormNote::setShown(m_saveStatus, false);

    const bool isNew = environment.id.isEmpty();
    m_original = environment;
    if (isNew)
        m_original.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    setWindowTitle(isNew ? tr("New environment") : tr("Edit environment “%1”").arg(environment.name));

    m_name->setText(environment.name);
    m_tier->setCurrentIndex(std::max(0, m_tier->findData(static_cast<int>(environment.tier))));
    m_tokenUrl->setText(environment.tokenUrl.toString(QUrl::FullyEncoded));
    m_apiUrl->setText(environment.apiBaseUrl.toString(QUrl::FullyEncoded));
    m_allowInsecureHttp->setChecked(environment.allowInsecureHttp);
    m_trusted = environment.trustedCertificates;
    FormNote::show(m_trustedMessage, FormNote::Tone::Error, {}, palette());
    updateTrustedSummary();
    m_grant->setCurrentIndex(std::max(0, m_grant->findData(static_cast<int>(environment.grant))));
    m_clientAuth->setCurrentIndex(std::max(0, m_clientAuth->findData(static_cast<int>(environment.clientAuth))));
    m_clientId->setText(environment.clientId);
    m_username->setText(environment.username);
    m_scopes->setText(environment.scopes.join(u' '));

    clearTypedSecrets();
    m_clientSecretRemoval = false;
    m_passwordRemoval = false;
    m_revealClientSecret->setChecked(false);
    m_revealPassword->setChecked(false);

    m_params->setRowCount(0);
    for (const auto &param : environment.params) {
        addTableRow(m_params);
        const int row = m_params->rowCount() - 1;
        m_params->item(row, ParamNameColumn)->setText(param.name);
        m_params->item(row, ParamSecretColumn)->setCheckState(param.secret ? Qt::Checked : Qt::Unchecked);
        if (!param.secret)
            m_params->item(row, ParamValueColumn)->setText(param.value);
    }
    m_headers->setRowCount(0);
    for (const auto &header : environment.headers) {
        addTableRow(m_headers);
        const int row = m_headers->rowCount() - 1;
        m_headers->item(row, 0)->setText(header.name);
        m_headers->item(row, 1)->setText(header.valueTemplate);
    }
    m_variables->setRowCount(0);
    for (const auto &[key, value] : environment.variables) {
        addTableRow(m_variables);
        const int row = m_variables->rowCount() - 1;
        m_variables->item(row, 0)->setText(key);
        m_variables->item(row, 1)->setText(value);
    }
    for (QTableWidget *table : {m_params, m_headers, m_variables}) {
        table->clearSelection();
        table->setCurrentItem(nullptr);
    }
    m_tabs->setCurrentIndex(0);

    m_loadedSecretParams = environment.secretParamNames();
    m_secretStatus.clear();
    applyBuiltinMode();
    updateTierNote();
    updateGrantRows();
    updateClientAuthHelp();
    m_loading = false;

    // A new environment's id was made just now: nothing can be stored under it yet, so the
    // keychain is not asked (and a locked one does not prompt for a dialog that is only opening).
    if (isNew) {
        for (const QString &name : {SecretStore::clientSecretName(), SecretStore::passwordName()})
            m_secretStatus.insert(name, {SecretState::NotStored, {}});
        for (const QString &param : std::as_const(m_loadedSecretParams))
            m_secretStatus.insert(SecretStore::paramName(param), {SecretState::NotStored, {}});
    } else {
        startSecretReads();
    }
    refreshSecretWidgets();
    validate();
}

Environment EnvironmentEditor::environment() const
{
    Environment env = m_original; // id and builtin come from what was loaded
    env.name = m_name->text().trimmed();
    env.tier = static_cast<Tier>(m_tier->currentData().toInt());
    env.grant = static_cast<GrantType>(m_grant->currentData().toInt());
    env.clientAuth = static_cast<ClientAuthStyle>(m_clientAuth->currentData().toInt());
    if (!m_original.isBuiltinDemo()) {
        env.tokenUrl = EnvironmentFieldCheck::urlFromText(parseableUrlText(m_tokenUrl));
        env.apiBaseUrl = EnvironmentFieldCheck::urlFromText(parseableUrlText(m_apiUrl));
        env.clientId = m_clientId->text().trimmed();
        env.username = m_username->text().trimmed();
        // The permission only means something for a plain-http remote token URL; a stale tick
        // would otherwise silently apply if the URL became http again later.
        env.allowInsecureHttp = m_allowInsecureHttp->isChecked() && EnvironmentFieldCheck::isPlainHttpRemote(parseableUrlText(m_tokenUrl));
        env.trustedCertificates = m_trusted;
    }

    env.scopes = m_scopes->text().simplified().split(u' ', Qt::SkipEmptyParts);
    env.scopes.removeDuplicates();

    env.params.clear();
    for (int row = 0; row < m_params->rowCount(); ++row) {
        const QString name = cellText(m_params, row, ParamNameColumn).trimmed();
        const bool secret = isChecked(m_params, row, ParamSecretColumn);
        const QTableWidgetItem *valueItem = m_params->item(row, ParamValueColumn);
        const QString value = valueItem ? valueItem->text() : QString();
        const QString typedSecret = valueItem ? valueItem->data(SecretValueRole).toString() : QString();
        if (name.isEmpty() && value.isEmpty() && typedSecret.isEmpty())
            continue; // a row added and left blank
        // A secret parameter's value goes to the keychain on OK, never into the profile.
        env.params.append({name, secret ? QString() : value, secret});
    }

    env.headers.clear();
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const QString name = cellText(m_headers, row, 0).trimmed();
        const QString value = cellText(m_headers, row, 1).trimmed();
        if (!name.isEmpty() || !value.isEmpty())
            env.headers.append({name, value});
    }

    env.variables.clear();
    for (int row = 0; row < m_variables->rowCount(); ++row) {
        const QString name = cellText(m_variables, row, 0).trimmed();
        const QString value = cellText(m_variables, row, 1);
        if (!name.isEmpty() || !value.isEmpty())
            env.variables.append({name, value});
    }
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

QString EnvironmentEditor::keyFor(const QString &name) const
{
    return SecretStore::keyFor(m_workspaceId, m_original.id, name);
}

void EnvironmentEditor::applyBuiltinMode()
{
    const bool demo = m_original.isBuiltinDemo();
    const QString provided = tr("provided by the built-in Demo API");
    for (QLineEdit *edit : {m_tokenUrl, m_apiUrl, m_clientId, m_username}) {
        edit->setReadOnly(demo);
        edit->setToolTip(demo ? tr("Provided by the built-in Demo API") : QString());
    }
    m_tokenUrl->setPlaceholderText(demo ? provided : u"https://auth.example.com/oauth/token"_s);
    m_apiUrl->setPlaceholderText(demo ? provided : u"https://api.example.com/v1"_s);
    m_clientId->setPlaceholderText(demo ? provided : QString());
    m_username->setPlaceholderText(demo ? provided : QString());
    // The Demo API's own client secret and password are used; nothing here would be read.
    for (QWidget *widget : {static_cast<QWidget *>(m_clientSecret), static_cast<QWidget *>(m_revealClientSecret),
                            static_cast<QWidget *>(m_password), static_cast<QWidget *>(m_revealPassword)})
        widget->setEnabled(!demo);
    m_allowInsecureHttp->setEnabled(!demo);
    m_addCertificates->setEnabled(!demo);
    m_clearCertificates->setEnabled(!demo && !m_trusted.isEmpty());
    FormNote::setShown(m_demoNote, demo);
    applyTones();
}

void EnvironmentEditor::updateTierNote()
{
    const bool production = static_cast<Tier>(m_tier->currentData().toInt()) == Tier::Production;
    FormNote::setShown(m_productionNote, production);
    m_tier->setAccessibleDescription(production ? m_productionNote->text() : QString());
}

void EnvironmentEditor::updateGrantRows()
{
    const bool password = static_cast<GrantType>(m_grant->currentData().toInt()) == GrantType::Password;
    m_credentialsForm->setRowVisible(m_username, password);
    m_credentialsForm->setRowVisible(m_passwordRow, password);
    m_username->setEnabled(password);
    m_passwordRow->setEnabled(password);
    validate();
}

void EnvironmentEditor::updateClientAuthHelp()
{
    switch (static_cast<ClientAuthStyle>(m_clientAuth->currentData().toInt())) {
    case ClientAuthStyle::Basic:
        m_clientAuthHelp->setText(tr("Client ID and secret go in an Authorization: Basic header, each form-encoded first."));
        break;
    case ClientAuthStyle::Body:
        m_clientAuthHelp->setText(tr("client_id and client_secret are sent as form fields in the request body."));
        break;
    case ClientAuthStyle::Json:
        m_clientAuthHelp->setText(tr("The whole token request, credentials included, is sent as one JSON object."));
        break;
    case ClientAuthStyle::None:
        m_clientAuthHelp->setText(tr("A public client: only client_id is sent, with no secret (RFC 6749 §2.1)."));
        break;
    case ClientAuthStyle::PrivateKeyJwt:
        m_clientAuthHelp->setText(tr("A client assertion signed with the private key kept in the keychain (RFC 7523 §2.2)."));
        break;
    }
    m_clientAuth->setAccessibleDescription(m_clientAuthHelp->text());
    validate();
}

void EnvironmentEditor::startSecretReads()
{
    if (!m_original.isBuiltinDemo()) {
        readSecret(SecretStore::clientSecretName());
        readSecret(SecretStore::passwordName());
    }
    for (const QString &param : std::as_const(m_loadedSecretParams))
        readSecret(SecretStore::paramName(param));
}

void EnvironmentEditor::readSecret(const QString &name)
{
    if (!m_secrets) {
        m_secretStatus.insert(name, {SecretState::Unavailable, tr("no keychain is connected")});
        return;
    }
    m_secretStatus.insert(name, {SecretState::Checking, {}});
    QPointer<EnvironmentEditor> self(this);
    const int generation = m_generation;
    m_secrets->read(keyFor(name), [self, generation, name](const SecretResult &result) {
        if (!self || self->m_generation != generation)
            return;
        // Only whether it is stored matters here; the value itself is dropped at once.
        SecretStatus status;
        switch (result.status) {
        case SecretResult::Status::Found:
            status = result.sessionOnly ? SecretStatus{SecretState::SessionOnly, result.message} : SecretStatus{SecretState::Stored, {}};
            break;
        case SecretResult::Status::NotFound:
            status = result.sessionOnly ? SecretStatus{SecretState::Unavailable, result.message} : SecretStatus{SecretState::NotStored, {}};
            break;
        case SecretResult::Status::Error:
            status = {SecretState::Failed, result.message};
            break;
        case SecretResult::Status::Stored:
        case SecretResult::Status::Removed:
            status = {SecretState::NotStored, {}};
            break;
        }
        self->setSecretStatus(name, status);
    });
}

void EnvironmentEditor::setSecretStatus(const QString &name, const SecretStatus &status)
{
    m_secretStatus.insert(name, status);
    refreshSecretWidgets();
    validate();
    if (status.state != SecretState::Checking)
        Q_EMIT secretStatusChanged(tr("%1: %2").arg(secretLabel(name), secretStatusText(name)));
}

QString EnvironmentEditor::secretLabel(const QString &name) const
{
    if (name == SecretStore::clientSecretName())
        return tr("Client secret");
    if (name == SecretStore::passwordName())
        return tr("Password");
    const QString prefix = SecretStore::paramName(QString());
    return tr("Parameter “%1”").arg(name.startsWith(prefix) ? name.mid(prefix.size()) : name);
}

QString EnvironmentEditor::secretStatusText(const QString &name) const
{
    if (m_original.isBuiltinDemo() && (name == SecretStore::clientSecretName() || name == SecretStore::passwordName()))
        return tr("provided by the built-in Demo API");
    const bool isClientSecret = name == SecretStore::clientSecretName();
    const bool isPassword = name == SecretStore::passwordName();
    if ((isClientSecret && !m_clientSecret->text().isEmpty()) || (isPassword && !m_password->text().isEmpty()))
        return tr("new value: saved to the system keychain when you press OK");
    if ((isClientSecret && m_clientSecretRemoval) || (isPassword && m_passwordRemoval))
        return tr("removed from the system keychain when you press OK");

    const SecretStatus status = m_secretStatus.value(name);
    switch (status.state) {
    case SecretState::Checking:
        return tr("checking the system keychain…");
    case SecretState::Stored:
        return tr("stored in the system keychain");
    case SecretState::SessionOnly:
        return status.message.isEmpty() ? tr("keychain unavailable: kept for this session only") : status.message;
    case SecretState::Unavailable:
    case SecretState::Failed:
        return status.message;
    case SecretState::NotStored:
    case SecretState::NotApplicable:
        break;
    }
    return tr("not stored");
}

QString EnvironmentEditor::paramPlaceholder(const QString &paramName) const
{
    const QString key = SecretStore::paramName(paramName);
    const SecretStatus status = m_secretStatus.value(key);
    switch (status.state) {
    case SecretState::Stored:
        return tr("%1 stored in the system keychain").arg(bullets(6));
    case SecretState::SessionOnly:
        return tr("%1 kept for this session only").arg(bullets(6));
    case SecretState::Checking:
        return tr("checking the system keychain…");
    case SecretState::Unavailable:
    case SecretState::Failed:
        return tr("not stored: %1").arg(status.message);
    case SecretState::NotStored:
    case SecretState::NotApplicable:
        break;
    }
    return tr("not stored: type the value");
}

void EnvironmentEditor::refreshSecretWidgets()
{
    const bool demo = m_original.isBuiltinDemo();
    const auto refresh = [this, demo](const QString &name, QLineEdit *field, QPushButton *remove, bool removal, QLabel *status) {
        const SecretState state = m_secretStatus.value(name).state;
        QString placeholder;
        if (demo)
            placeholder = tr("provided by the built-in Demo API");
        else if (removal)
            placeholder = tr("removed when you press OK");
        else if (state == SecretState::Stored)
            placeholder = tr("%1 stored in the system keychain").arg(bullets(6));
        else if (state == SecretState::SessionOnly)
            placeholder = tr("%1 kept for this session only").arg(bullets(6));
        else if (state == SecretState::Checking)
            placeholder = tr("checking the system keychain…");
        field->setPlaceholderText(placeholder);

        const bool stored = state == SecretState::Stored || state == SecretState::SessionOnly;
        remove->setVisible(!demo && stored);
        remove->setText(removal ? tr("Keep stored secret") : tr("Remove stored secret"));
        status->setText(secretStatusText(name));
        field->setAccessibleDescription(status->text());
    };
    refresh(SecretStore::clientSecretName(), m_clientSecret, m_removeClientSecret, m_clientSecretRemoval, m_clientSecretStatus);
    refresh(SecretStore::passwordName(), m_password, m_removePassword, m_passwordRemoval, m_passwordStatus);

    // Tooltips are not edits: keep them from re-running validation row by row.
    const QSignalBlocker blocker(m_params);
    for (int row = 0; row < m_params->rowCount(); ++row) {
        if (QTableWidgetItem *value = m_params->item(row, ParamValueColumn)) {
            const bool secret = isChecked(m_params, row, ParamSecretColumn);
            value->setToolTip(secret ? paramPlaceholder(cellText(m_params, row, ParamNameColumn).trimmed()) : QString());
        }
    }
    m_params->viewport()->update();
}

void EnvironmentEditor::validate()
{
    if (m_loading)
        return;
    const QPalette base = palette();
    const bool demo = m_original.isBuiltinDemo();
    const int connectionTab = 0;
    const int scopesTab = 2;
    const int headersTab = 3;
    QStringList errors;  // wrong content: shown in red where it is, and first in the summary
    QStringList missing; // required and still empty: listed quietly until filled in
    QSet<int> tabsWithErrors;
    const auto error = [&](int tab, const QString &text) {
        errors.append(tab < 0 ? text : tr("%1: %2").arg(m_tabs->tabText(tab).replace(u"&&"_s, u"&"_s), text));
        if (tab >= 0)
            tabsWithErrors.insert(tab);
    };

    // Name
    const QString name = m_name->text().trimmed();
    QString nameError;
    if (name.isEmpty()) {
        missing.append(tr("a name"));
    } else if (std::any_of(m_existingNames.cbegin(), m_existingNames.cend(),
                           [&name](const QString &other) { return other.trimmed().compare(name, Qt::CaseInsensitive) == 0; })) {
        nameError = tr("Another environment is already named “%1”.").arg(name);
        error(-1, nameError);
    }
    FormNote::show(m_nameMessage, FormNote::Tone::Error, nameError, base);

    // URLs. Plain http to a remote host stays savable: the profile may point at an internal
    // server on purpose, and TokenRequest::validate refuses to send unless the box is ticked.
    // The warning stays in view either way.
    bool showInsecureBox = false;
    if (demo) {
        FormNote::show(m_tokenUrlMessage, FormNote::Tone::Error, {}, base);
        FormNote::show(m_apiUrlMessage, FormNote::Tone::Error, {}, base);
    } else {
        const QString tokenText = parseableUrlText(m_tokenUrl);
        const EnvironmentFieldCheck::UrlCheck token = EnvironmentFieldCheck::checkUrl(tokenText, true);
        if (tokenText.isEmpty()) {
            missing.append(tr("the token URL"));
            FormNote::show(m_tokenUrlMessage, FormNote::Tone::Error, {}, base);
        } else if (!token.error.isEmpty()) {
            error(connectionTab, tr("token URL: %1").arg(token.error));
            FormNote::show(m_tokenUrlMessage, FormNote::Tone::Error, token.error, base);
        } else if (token.plainHttpRemote) {
            showInsecureBox = true;
            FormNote::show(m_tokenUrlMessage, FormNote::Tone::Warning,
                        m_allowInsecureHttp->isChecked()
                            ? tr("Plain http to a remote host: the client secret and the tokens cross the network unencrypted.")
                            : tr("Plain http to a remote host: the client secret would cross the network unencrypted. "
                                 "Token requests are refused unless you allow it below."),
                        base);
        } else {
            FormNote::show(m_tokenUrlMessage, FormNote::Tone::Error, {}, base);
        }

        const QString apiText = parseableUrlText(m_apiUrl);
        const EnvironmentFieldCheck::UrlCheck api = EnvironmentFieldCheck::checkUrl(apiText, false);
        if (apiText.isEmpty()) {
            missing.append(tr("the API base URL"));
            FormNote::show(m_apiUrlMessage, FormNote::Tone::Error, {}, base);
        } else if (!api.error.isEmpty()) {
            error(connectionTab, tr("API base URL: %1").arg(api.error));
            FormNote::show(m_apiUrlMessage, FormNote::Tone::Error, api.error, base);
        } else if (api.plainHttpRemote) {
            FormNote::show(m_apiUrlMessage, FormNote::Tone::Warning,
                        tr("Plain http to a remote host: the access token would cross the network unencrypted."), base);
        } else {
            FormNote::show(m_apiUrlMessage, FormNote::Tone::Error, {}, base);
        }
    }
    m_allowInsecureHttp->setVisible(showInsecureBox);
    NoteSlot::of(m_allowInsecureHttp)->refresh();
    // A screen reader hears the message when it reaches the field, not only a sighted user below it.
    m_tokenUrl->setAccessibleDescription(m_tokenUrlMessage->isHidden() ? QString() : m_tokenUrlMessage->text());
    m_apiUrl->setAccessibleDescription(m_apiUrlMessage->isHidden() ? QString() : m_apiUrlMessage->text());
    m_name->setAccessibleDescription(nameError);

    // Credentials
    const auto grant = static_cast<GrantType>(m_grant->currentData().toInt());
    const auto clientAuth = static_cast<ClientAuthStyle>(m_clientAuth->currentData().toInt());
    if (!demo) {
        if (m_clientId->text().trimmed().isEmpty())
            missing.append(tr("the client ID"));
        if (grant == GrantType::Password && m_username->text().trimmed().isEmpty())
            missing.append(tr("the username (password grant)"));
    }

    // Scopes
    QString scopeError;
    for (const QString &scope : m_scopes->text().simplified().split(u' ', Qt::SkipEmptyParts)) {
        if (!EnvironmentFieldCheck::isScopeToken(scope)) {
            scopeError = tr("“%1” is not a valid scope: use printable ASCII without quotes or backslashes (RFC 6749 §3.3).").arg(scope);
            error(scopesTab, scopeError);
            break;
        }
    }
    FormNote::show(m_scopesMessage, FormNote::Tone::Error, scopeError, base);

    // Token parameters
    QStringList paramErrors;
    QStringList paramWarnings;
    QSet<QString> paramNames;
    for (int row = 0; row < m_params->rowCount(); ++row) {
        const QString paramName = cellText(m_params, row, ParamNameColumn).trimmed();
        const bool secret = isChecked(m_params, row, ParamSecretColumn);
        const QTableWidgetItem *valueItem = m_params->item(row, ParamValueColumn);
        const QString value = valueItem ? valueItem->text() : QString();
        const QString typed = valueItem ? valueItem->data(SecretValueRole).toString() : QString();
        if (paramName.isEmpty()) {
            if (!value.isEmpty() || !typed.isEmpty())
                paramErrors.append(tr("Row %1 has a value but no name.").arg(row + 1));
            continue;
        }
        if (paramNames.contains(paramName)) {
            paramErrors.append(tr("“%1” appears twice.").arg(paramName));
            continue;
        }
        paramNames.insert(paramName);
        // Fields the token request already carries: a second copy would be sent twice or win over ours.
        if (paramName == u"grant_type"_s)
            paramErrors.append(tr("grant_type comes from the grant type on the Credentials tab."));
        else if (paramName == u"scope"_s)
            paramErrors.append(tr("scope comes from the default scopes above."));
        else if (clientAuth != ClientAuthStyle::Basic && (paramName == u"client_id"_s || paramName == u"client_secret"_s))
            paramErrors.append(tr("%1 is already sent from the Credentials tab.").arg(paramName));
        else if (grant == GrantType::Password && (paramName == u"username"_s || paramName == u"password"_s))
            paramErrors.append(tr("%1 is already sent by the password grant.").arg(paramName));
        else if (!secret && value.isEmpty())
            paramErrors.append(tr("“%1” has no value; token requests refuse empty parameters.").arg(paramName));
        else if (secret && typed.isEmpty()) {
            const SecretState state = m_secretStatus.value(SecretStore::paramName(paramName)).state;
            if (state != SecretState::Stored && state != SecretState::SessionOnly && state != SecretState::Checking)
                paramWarnings.append(tr("No value is stored for the secret parameter “%1” yet.").arg(paramName));
        }
    }
    if (!paramErrors.isEmpty()) {
        error(scopesTab, paramErrors.constFirst());
        FormNote::show(m_paramsMessage, FormNote::Tone::Error, paramErrors.join(u'\n'), base);
    } else {
        FormNote::show(m_paramsMessage, FormNote::Tone::Warning, paramWarnings.join(u'\n'), base);
    }

    // Variables first: the header templates are checked against them.
    QStringList variableErrors;
    QSet<QString> variableNames;
    for (int row = 0; row < m_variables->rowCount(); ++row) {
        const QString variable = cellText(m_variables, row, 0).trimmed();
        if (variable.isEmpty()) {
            if (!cellText(m_variables, row, 1).isEmpty())
                variableErrors.append(tr("Row %1 has a value but no name.").arg(row + 1));
        } else if (!EnvironmentFieldCheck::isVariableName(variable)) {
            variableErrors.append(tr("“%1” cannot be used as a {{placeholder}}: use letters, digits, _ . - and start "
                                     "with a letter or _.").arg(variable));
        } else if (variableNames.contains(variable)) {
            variableErrors.append(tr("“%1” appears twice.").arg(variable));
        } else {
            variableNames.insert(variable);
        }
    }
    if (!variableErrors.isEmpty())
        error(headersTab, variableErrors.constFirst());
    FormNote::show(m_variablesMessage, FormNote::Tone::Error, variableErrors.join(u'\n'), base);

    QStringList headerErrors;
    QStringList headerWarnings;
    QSet<QString> headerNames;
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const QString header = cellText(m_headers, row, 0).trimmed();
        const QString valueTemplate = cellText(m_headers, row, 1);
        if (header.isEmpty()) {
            if (!valueTemplate.trimmed().isEmpty())
                headerErrors.append(tr("Row %1 has a template but no header name.").arg(row + 1));
            continue;
        }
        if (header.compare(u"Authorization"_s, Qt::CaseInsensitive) == 0) {
            headerErrors.append(tr("Authorization is set from the access token; it cannot be a context header."));
        } else if (!EnvironmentFieldCheck::isHeaderName(header)) {
            headerErrors.append(tr("“%1” is not a valid header name.").arg(header));
        } else if (headerNames.contains(header.toLower())) {
            headerErrors.append(tr("“%1” appears twice.").arg(header));
        } else if (valueTemplate.contains(u'\r') || valueTemplate.contains(u'\n')) {
            headerErrors.append(tr("The value of “%1” cannot contain a line break.").arg(header));
        }
        headerNames.insert(header.toLower());
        for (const QString &placeholder : TemplateExpander::placeholders(valueTemplate)) {
            if (!variableNames.contains(placeholder))
                headerWarnings.append(tr("{{%1}} is not one of the variables below; it would be sent as written.").arg(placeholder));
        }
    }
    if (!headerErrors.isEmpty()) {
        error(headersTab, headerErrors.constFirst());
        FormNote::show(m_headersMessage, FormNote::Tone::Error, headerErrors.join(u'\n'), base);
    } else {
        FormNote::show(m_headersMessage, FormNote::Tone::Warning, headerWarnings.join(u'\n'), base);
    }

    m_problems = errors;
    if (!missing.isEmpty())
        m_problems.append(tr("Still needed: %1.").arg(missing.join(u", "_s)));

    const QIcon warningIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (int tab = 0; tab < m_tabs->count(); ++tab)
        m_tabs->setTabIcon(tab, tabsWithErrors.contains(tab) ? warningIcon : QIcon());

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
    // Fusion draws a read-only line edit like an editable one; the window colour as its
    // background tells them apart in any palette.
    for (QLineEdit *edit : {m_tokenUrl, m_apiUrl, m_clientId, m_username}) {
        if (edit->isReadOnly()) {
            QPalette readOnly = edit->palette();
            readOnly.setColor(QPalette::Base, base.color(QPalette::Window));
            edit->setPalette(readOnly);
        } else {
            edit->setPalette(QPalette());
        }
    }
}

void EnvironmentEditor::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyTones();
}

QList<EnvironmentEditor::SaveOp> EnvironmentEditor::pendingSaveOps() const
{
    QList<SaveOp> ops;
    if (!m_original.isBuiltinDemo()) {
        // An empty field means "keep what is stored": only typed text is written.
        if (!m_clientSecret->text().isEmpty())
            ops.append({SecretStore::clientSecretName(), m_clientSecret->text(), false});
        else if (m_clientSecretRemoval)
            ops.append({SecretStore::clientSecretName(), {}, true});
        const bool passwordGrant = static_cast<GrantType>(m_grant->currentData().toInt()) == GrantType::Password;
        if (passwordGrant && !m_password->text().isEmpty())
            ops.append({SecretStore::passwordName(), m_password->text(), false});
        else if (m_passwordRemoval)
            ops.append({SecretStore::passwordName(), {}, true});
    }

    QStringList secretNames;
    for (int row = 0; row < m_params->rowCount(); ++row) {
        const QString name = cellText(m_params, row, ParamNameColumn).trimmed();
        if (name.isEmpty() || !isChecked(m_params, row, ParamSecretColumn))
            continue;
        secretNames.append(name);
        const QString typed = m_params->item(row, ParamValueColumn)->data(SecretValueRole).toString();
        if (!typed.isEmpty())
            ops.append({SecretStore::paramName(name), typed, false});
    }
    // A secret parameter that was removed, renamed or made plain leaves no value behind.
    for (const QString &loaded : m_loadedSecretParams) {
        if (!secretNames.contains(loaded))
            ops.append({SecretStore::paramName(loaded), {}, true});
    }
    return ops;
}

void EnvironmentEditor::accept()
{
    if (m_saving)
        return;
    validate();
    if (!isValid())
        return;
    const QList<SaveOp> ops = pendingSaveOps();
    m_secretsChanged = !ops.isEmpty();
    if (ops.isEmpty()) {
        QDialog::accept();
        return;
    }
    if (!m_secrets) {
        // Closing would silently drop what the user typed.
        FormNote::show(m_saveStatus, FormNote::Tone::Error, tr("No keychain is connected: the secrets you typed cannot be saved."), palette());
        return;
    }

    m_saving = true;
    m_saveErrors.clear();
    // Counted before the first call: an answer may come back before the loop is done.
    m_pendingWrites = static_cast<int>(ops.size());
    setFormEnabled(false);
    FormNote::show(m_saveStatus, FormNote::Tone::Plain, tr("Saving to keychain…"), palette());

    QPointer<EnvironmentEditor> self(this);
    const int generation = m_generation;
    for (const SaveOp &op : ops) {
        auto done = [self, generation, op](const SecretResult &result) {
            if (self && self->m_generation == generation && self->m_saving)
                self->onSaveAnswered(op, result);
        };
        if (op.remove)
            m_secrets->remove(keyFor(op.name), std::move(done));
        else
            m_secrets->write(keyFor(op.name), op.value, std::move(done));
    }
}

void EnvironmentEditor::onSaveAnswered(const SaveOp &op, const SecretResult &result)
{
    if (result.status == SecretResult::Status::Error) {
        m_saveErrors.append(tr("%1: %2").arg(secretLabel(op.name), result.message));
    } else {
        // What was typed is stored now; an empty field means "keep it" again.
        const QString paramPrefix = SecretStore::paramName(QString());
        if (op.name == SecretStore::clientSecretName()) {
            m_clientSecret->clear();
            m_clientSecretRemoval = false;
        } else if (op.name == SecretStore::passwordName()) {
            m_password->clear();
            m_passwordRemoval = false;
        } else if (op.name.startsWith(paramPrefix)) {
            const QString param = op.name.mid(paramPrefix.size());
            if (op.remove) {
                m_loadedSecretParams.removeAll(param);
            } else {
                if (!m_loadedSecretParams.contains(param))
                    m_loadedSecretParams.append(param);
                const QSignalBlocker blocker(m_params);
                for (int row = 0; row < m_params->rowCount(); ++row) {
                    if (cellText(m_params, row, ParamNameColumn).trimmed() == param)
                        m_params->item(row, ParamValueColumn)->setData(SecretValueRole, QVariant());
                }
            }
        }
        SecretStatus status;
        if (op.remove)
            status = {SecretState::NotStored, {}};
        else if (result.sessionOnly)
            status = {SecretState::SessionOnly, result.message};
        else
            status = {SecretState::Stored, {}};
        setSecretStatus(op.name, status);
    }
    if (--m_pendingWrites == 0)
        finishSave();
}

void EnvironmentEditor::finishSave()
{
    m_saving = false;
    setFormEnabled(true);
    if (!m_saveErrors.isEmpty()) {
        FormNote::show(m_saveStatus, FormNote::Tone::Error,
                    tr("Not saved. %1. Press OK to try again, or Cancel.").arg(m_saveErrors.join(u"; "_s)), palette());
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
    clearTypedSecrets();
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

void EnvironmentEditor::addTableRow(QTableWidget *table)
{
    const int row = table->rowCount();
    {
        const QSignalBlocker blocker(table);
        table->insertRow(row);
        for (int column = 0; column < table->columnCount(); ++column) {
            auto *item = new QTableWidgetItem;
            if (table == m_params && column == ParamSecretColumn) {
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
                item->setCheckState(Qt::Unchecked);
                item->setToolTip(tr("Keep the value in the system keychain, not in the workspace file"));
            }
            table->setItem(row, column, item);
        }
    }
    if (m_loading)
        return;
    table->setCurrentCell(row, 0);
    table->setFocus(Qt::OtherFocusReason);
    table->editItem(table->item(row, 0));
    validate();
}

void EnvironmentEditor::removeSelectedRows(QTableWidget *table)
{
    QList<int> rows;
    for (const QModelIndex &index : table->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && table->currentRow() >= 0)
        rows.append(table->currentRow());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (int row : std::as_const(rows))
        table->removeRow(row);
    refreshSecretWidgets();
    validate();
}

void EnvironmentEditor::onParamItemChanged(QTableWidgetItem *item)
{
    if (m_loading)
        return;
    if (item->column() == ParamSecretColumn) {
        if (QTableWidgetItem *value = m_params->item(item->row(), ParamValueColumn)) {
            const QSignalBlocker blocker(m_params);
            if (item->checkState() == Qt::Checked) {
                // A value typed before the box was ticked becomes the secret: out of the profile, into the keychain on OK.
                if (!value->text().isEmpty())
                    value->setData(SecretValueRole, value->text());
                value->setText(QString());
            } else {
                const QString typed = value->data(SecretValueRole).toString();
                if (!typed.isEmpty())
                    value->setText(typed);
                value->setData(SecretValueRole, QVariant());
            }
        }
    }
    if (item->column() != ParamValueColumn)
        refreshSecretWidgets();
    validate();
}

void EnvironmentEditor::clearTypedSecrets()
{
    m_clientSecret->clear();
    m_password->clear();
    const QSignalBlocker blocker(m_params);
    for (int row = 0; row < m_params->rowCount(); ++row) {
        if (QTableWidgetItem *value = m_params->item(row, ParamValueColumn))
            value->setData(SecretValueRole, QVariant());
    }
}
