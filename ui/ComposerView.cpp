#include "ComposerView.h"

#include "http/TokenScopes.h"
#include "Fonts.h"
#include "RequestScopesEditor.h"
#include "RequestVariablesEditor.h"
#include "ReplayNotice.h"
#include "ResponseView.h"
#include "UploadConsentBox.h"
#include "http/AuthorizerTokenSource.h"
#include "http/HeaderInjector.h"
#include "http/OriginGuard.h"
#include "http/RequestBuilder.h"
#include "session/Authorizer.h"
#include "settings/Preferences.h"
#include "util/Clock.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace {
enum Column { NameColumn, ValueColumn, SourceColumn };
constexpr int InjectedRole = Qt::UserRole + 1;     // bool: the row is the environment's, not the request's
constexpr int OriginalValueRole = Qt::UserRole + 2; // QString: the injected value as planned
// Bodies up to this size are checked as JSON as you type; bigger ones only when sent.
constexpr qsizetype liveJsonLimit = 2 * 1024 * 1024;
constexpr qint64 fileBodyLimit = 100 * 1024 * 1024;

enum class BodyType { None, Json, Form, Raw, File, Multipart };
constexpr int KindColumn = 2;                       // of the multipart table: "text" or "file"
constexpr int IsFileRole = Qt::UserRole + 3;        // bool, on the multipart table's kind item

QString contentTypeFor(BodyType type)
{
    switch (type) {
    case BodyType::Json: return QStringLiteral("application/json");
    case BodyType::Form: return QStringLiteral("application/x-www-form-urlencoded");
    case BodyType::Raw: return QStringLiteral("text/plain; charset=utf-8");
    case BodyType::None:
    case BodyType::File:
    case BodyType::Multipart: return {}; // the builder writes multipart/form-data with its boundary
    }
    return {};
}

QString stateText(const InjectedHeader &header)
{
    switch (header.state) {
    case InjectedHeader::State::Sent:
        return header.overridden ? ComposerView::tr("overridden for this request (instead of the %1)").arg(header.source)
                                 : ComposerView::tr("injected from the %1").arg(header.source);
    case InjectedHeader::State::Disabled: return ComposerView::tr("switched off for this request");
    case InjectedHeader::State::ReplacedByRequestHeader: return ComposerView::tr("replaced by the request's own header");
    case InjectedHeader::State::Withheld: return ComposerView::tr("withheld: not the environment's API origin");
    }
    return {};
}
} // namespace

ComposerView::ComposerView(Authorizer *authorizer, QWidget *parent)
    : QWidget(parent)
    , m_authorizer(authorizer)
{
    buildUi();
    connect(m_authorizer, &Authorizer::tokenChanged, this, [this](const QString &id) {
        if (id == m_environment.id)
            refreshPreview();
    });
}

ComposerView::~ComposerView()
{
    // A cell still being edited commits when the window takes its focus away, after this
    // destructor: nothing of it may reach a composer whose members are gone.
    for (QTableWidget *table : {m_params, m_headers, m_form})
        table->disconnect(this);
    m_variables->disconnect(this);
}

void ComposerView::buildUi()
{
    setObjectName(QStringLiteral("composer"));
    m_method = new QComboBox(this);
    m_method->setObjectName(QStringLiteral("method"));
    m_method->setAccessibleName(tr("Method"));
    m_method->setEditable(true);
    m_method->addItems({QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"), QStringLiteral("PATCH"),
                        QStringLiteral("DELETE"), QStringLiteral("HEAD"), QStringLiteral("OPTIONS")});
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("url"));
    m_url->setAccessibleName(tr("URL"));
    m_url->setPlaceholderText(tr("/accounts — relative to the environment's API — or a full https:// URL"));
    m_send = new QPushButton(tr("&Send"), this);
    m_send->setObjectName(QStringLiteral("send"));
    m_send->setAccessibleName(tr("Send"));
    m_send->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelSend"));
    m_cancel->setAccessibleName(tr("Cancel the request"));
    m_cancel->hide();
    auto *line = new QHBoxLayout;
    line->addWidget(m_method);
    line->addWidget(m_url, 1);
    line->addWidget(m_send);
    line->addWidget(m_cancel);

    const auto makeTable = [this](const QString &name, const QString &accessible, const QStringList &labels) {
        auto *table = new QTableWidget(0, int(labels.size()), this);
        table->setObjectName(name);
        table->setAccessibleName(accessible);
        table->setHorizontalHeaderLabels(labels);
        table->horizontalHeader()->setStretchLastSection(true);
        table->verticalHeader()->hide();
        table->setSelectionBehavior(QAbstractItemView::SelectRows);
        connect(table, &QTableWidget::itemChanged, this, [this, table] {
            // The headers table records injected-row switches first (onHeaderItemChanged), then refreshes.
            if (!m_updatingTables && table != m_headers)
                refreshPreview();
        });
        return table;
    };
    const auto tablePage = [this](QTableWidget *table, const QString &addText) {
        auto *page = new QWidget(this);
        auto *layout = new QVBoxLayout(page);
        auto *buttons = new QHBoxLayout;
        auto *add = new QToolButton(page);
        add->setText(addText);
        add->setAccessibleName(addText);
        add->setObjectName(table->objectName() + QStringLiteral("Add"));
        auto *remove = new QToolButton(page);
        remove->setText(tr("Remove"));
        remove->setAccessibleName(tr("Remove the selected row"));
        remove->setObjectName(table->objectName() + QStringLiteral("Remove"));
        connect(add, &QToolButton::clicked, this, [this, table] {
            addRow(table);
            table->setCurrentCell(table->rowCount() - 1, NameColumn);
            table->editItem(table->item(table->rowCount() - 1, NameColumn));
        });
        connect(remove, &QToolButton::clicked, this, [this, table] {
            const int row = table->currentRow();
            if (row >= 0 && !table->item(row, NameColumn)->data(InjectedRole).toBool()) {
                table->removeRow(row);
                refreshPreview();
            }
        });
        buttons->addWidget(add);
        buttons->addWidget(remove);
        buttons->addStretch();
        layout->addWidget(table);
        layout->addLayout(buttons);
        return page;
    };
    m_params = makeTable(QStringLiteral("params"), tr("Query parameters"), {tr("Name"), tr("Value")});
    m_headers = makeTable(QStringLiteral("headers"), tr("Headers"), {tr("Name"), tr("Value"), tr("Source")});
    connect(m_headers, &QTableWidget::itemChanged, this, &ComposerView::onHeaderItemChanged);

    auto *bodyPage = new QWidget(this);
    auto *bodyLayout = new QVBoxLayout(bodyPage);
    m_bodyType = new QComboBox(bodyPage);
    m_bodyType->setObjectName(QStringLiteral("bodyType"));
    m_bodyType->setAccessibleName(tr("Body type"));
    m_bodyType->addItem(tr("No body"), int(BodyType::None));
    m_bodyType->addItem(tr("JSON"), int(BodyType::Json));
    m_bodyType->addItem(tr("Form (key=value&…)"), int(BodyType::Form));
    m_bodyType->addItem(tr("Raw text"), int(BodyType::Raw));
    m_bodyType->addItem(tr("File"), int(BodyType::File));
    m_bodyType->addItem(tr("Multipart form (fields and files)"), int(BodyType::Multipart));
    auto *loadFile = new QToolButton(bodyPage);
    loadFile->setObjectName(QStringLiteral("loadBodyFile"));
    loadFile->setText(tr("Choose file…"));
    loadFile->setAccessibleName(tr("Choose a file to send as the body"));
    connect(loadFile, &QToolButton::clicked, this, &ComposerView::loadBodyFile);
    m_body = new QPlainTextEdit(bodyPage);
    m_body->setObjectName(QStringLiteral("body"));
    m_body->setAccessibleName(tr("Body"));
    m_body->setFont(Fonts::monospace());
    m_bodyStatus = new QLabel(bodyPage);
    m_bodyStatus->setObjectName(QStringLiteral("bodyStatus"));
    m_bodyStatus->setTextFormat(Qt::PlainText); // it quotes file paths and field names
    // A long status (a JSON error, a form summary) wraps rather than widening the whole window.
    m_bodyStatus->setWordWrap(true);
    m_bodyStatus->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    // Off for pasted requests: their {{…}} is data, sent as it is.
    m_bodyVariables = new QCheckBox(tr("{{variables}}"), bodyPage);
    m_bodyVariables->setToolTip(tr("Resolve {{variables}} in the body; off, they are sent as written"));
    m_bodyVariables->setObjectName(QStringLiteral("bodyVariables"));
    m_bodyVariables->setAccessibleName(tr("Resolve {{variables}} in the body"));
    m_bodyVariables->setChecked(true);
    connect(m_bodyVariables, &QCheckBox::toggled, this, [this] {
        validateBody();
        refreshPreview();
    });
    auto *bodyTop = new QHBoxLayout;
    bodyTop->addWidget(m_bodyType);
    bodyTop->addWidget(loadFile);
    bodyTop->addWidget(m_bodyStatus, 1);
    bodyTop->addWidget(m_bodyVariables);
    bodyLayout->addLayout(bodyTop);
    m_form = makeTable(QStringLiteral("formFields"), tr("Form fields"), {tr("Name"), tr("Value"), tr("Kind")});
    // The value (text or a file's path) gets the room; the kind is one short word.
    m_form->horizontalHeader()->setStretchLastSection(false);
    m_form->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    m_form->horizontalHeader()->setSectionResizeMode(KindColumn, QHeaderView::ResizeToContents);
    m_form->setColumnWidth(NameColumn, 160);
    m_form->setWordWrap(false);
    auto *formPage = new QWidget(bodyPage);
    auto *formLayout = new QVBoxLayout(formPage);
    formLayout->setContentsMargins(0, 0, 0, 0);
    auto *formButtons = new QHBoxLayout;
    auto *addField = new QToolButton(formPage);
    addField->setObjectName(QStringLiteral("formFieldsAdd"));
    addField->setText(tr("Add field"));
    addField->setAccessibleName(tr("Add a text field to the form"));
    connect(addField, &QToolButton::clicked, this, [this] {
        addFormRow({}, {}, false, true);
        m_form->setCurrentCell(m_form->rowCount() - 1, NameColumn);
        m_form->editItem(m_form->item(m_form->rowCount() - 1, NameColumn));
    });
    auto *addFile = new QToolButton(formPage);
    addFile->setObjectName(QStringLiteral("formFieldsAddFile"));
    addFile->setText(tr("Add file…"));
    addFile->setAccessibleName(tr("Add a file to the form"));
    connect(addFile, &QToolButton::clicked, this, &ComposerView::chooseFormFile);
    auto *removeField = new QToolButton(formPage);
    removeField->setObjectName(QStringLiteral("formFieldsRemove"));
    removeField->setText(tr("Remove"));
    removeField->setAccessibleName(tr("Remove the selected form field"));
    connect(removeField, &QToolButton::clicked, this, [this] {
        if (m_form->currentRow() >= 0) {
            m_form->removeRow(m_form->currentRow());
            validateBody();
            refreshPreview();
        }
    });
    formButtons->addWidget(addField);
    formButtons->addWidget(addFile);
    formButtons->addWidget(removeField);
    formButtons->addStretch();
    formLayout->addWidget(m_form);
    formLayout->addLayout(formButtons);
    m_bodyPages = new QStackedWidget(bodyPage);
    m_bodyPages->addWidget(m_body);
    m_bodyPages->addWidget(formPage);
    bodyLayout->addWidget(m_bodyPages);
    connect(m_form, &QTableWidget::itemChanged, this, [this] {
        if (!m_updatingTables)
            validateBody();
    });
    auto *validate = new QTimer(this);
    validate->setSingleShot(true);
    validate->setInterval(150);
    connect(validate, &QTimer::timeout, this, [this] {
        validateBody();
        refreshPreview();
    });
    connect(m_body, &QPlainTextEdit::textChanged, validate, qOverload<>(&QTimer::start));
    connect(m_bodyType, &QComboBox::currentIndexChanged, this, [this, loadFile] {
        const auto type = BodyType(m_bodyType->currentData().toInt());
        m_body->setEnabled(type != BodyType::None);
        m_body->setReadOnly(type == BodyType::File);
        loadFile->setVisible(type == BodyType::File);
        m_bodyPages->setCurrentIndex(type == BodyType::Multipart ? 1 : 0);
        m_bodyVariables->setVisible(type != BodyType::None && type != BodyType::File);
        validateBody();
        refreshPreview();
    });
    loadFile->hide();
    m_bodyVariables->hide();
    m_body->setEnabled(false);

    m_scopes = new RequestScopesEditor(this);

    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setAccessibleName(tr("The request as it will be sent"));
    m_preview->setReadOnly(true);
    m_preview->setFont(Fonts::monospace());

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("requestParts"));
    m_tabs->setAccessibleName(tr("Parts of the request"));
    m_tabs->addTab(tablePage(m_params, tr("Add parameter")), tr("Params"));
    m_tabs->addTab(tablePage(m_headers, tr("Add header")), tr("Headers"));
    m_tabs->addTab(bodyPage, tr("Body"));
    m_tabs->addTab(m_scopes, tr("Scopes"));
    m_variables = new RequestVariablesEditor(this);
    connect(m_variables, &RequestVariablesEditor::changed, this, &ComposerView::refreshPreview);
    m_tabs->addTab(m_variables, tr("Variables"));
    m_tabs->addTab(m_preview, tr("Preview"));

    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("composerNotice"));
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->hide();

    m_response = new ResponseView(this);
    auto *requestPart = new QWidget(this);
    auto *requestLayout = new QVBoxLayout(requestPart);
    requestLayout->setContentsMargins(0, 0, 0, 0);
    m_replay = new ReplayNotice(requestPart);
    requestLayout->addWidget(m_replay);
    requestLayout->addLayout(line);
    requestLayout->addWidget(m_tabs, 1);
    requestLayout->addWidget(m_notice);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(requestPart);
    split->addWidget(m_response);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(split);

    connect(m_send, &QPushButton::clicked, this, &ComposerView::send);
    connect(m_cancel, &QPushButton::clicked, this, &ComposerView::cancel);
    connect(m_response, &ResponseView::cancelRequested, this, &ComposerView::cancel);
    connect(m_response, &ResponseView::authorizeWithScopesRequested, this, [this](const QStringList &missing) {
        QStringList scopes = m_lastResult.scopes;
        for (const QString &scope : missing) {
            if (!scopes.contains(scope))
                scopes.append(scope);
        }
        Q_EMIT authorizeWithScopesRequested(scopes);
    });
    connect(m_url, &QLineEdit::returnPressed, this, &ComposerView::send);
    const auto changed = [this] {
        refreshPreview();
        Q_EMIT titleChanged(title());
    };
    connect(m_url, &QLineEdit::textChanged, this, changed);
    connect(m_method, &QComboBox::currentTextChanged, this, changed);
    connect(m_scopes, &RequestScopesEditor::changed, this, &ComposerView::refreshPreview);
}

void ComposerView::setEnvironment(const Environment &environment)
{
    // The answer shown was another environment's: it goes with it (the history keeps it).
    if (environment.id != m_environment.id) {
        m_response->clear();
        m_notice->hide();
    }
    m_environment = m_authorizer->resolved(environment);
    m_scopes->setEnvironment(m_environment);
    // A token source is tied to one environment, and the call holds its source: both go, and
    // the next send makes new ones. A running call is cancelled first: it was for the old one.
    if (m_call) {
        m_call->disconnect(this);
        m_call->cancel();
        delete m_call;
        m_call = nullptr;
        setSending(false);
    }
    delete m_tokens;
    m_tokens = nullptr;
    m_replay->refresh(m_environment, draft());
    refreshPreview();
}

QString ComposerView::title() const
{
    const QString url = m_url->text().trimmed();
    return url.isEmpty() ? tr("New request") : m_method->currentText() + QLatin1Char(' ') + url;
}

bool ComposerView::isSending() const
{
    return m_call && m_call->isRunning();
}

void ComposerView::addRow(QTableWidget *table, const QString &name, const QString &value, bool enabled)
{
    const bool was = m_updatingTables;
    m_updatingTables = true;
    const int row = table->rowCount();
    table->insertRow(row);
    auto *nameItem = new QTableWidgetItem(name);
    nameItem->setFlags(nameItem->flags() | Qt::ItemIsUserCheckable);
    nameItem->setCheckState(enabled ? Qt::Checked : Qt::Unchecked);
    table->setItem(row, NameColumn, nameItem);
    table->setItem(row, ValueColumn, new QTableWidgetItem(value));
    if (table->columnCount() > SourceColumn) {
        auto *source = new QTableWidgetItem(tr("this request"));
        source->setFlags(source->flags() & ~Qt::ItemIsEditable);
        table->setItem(row, SourceColumn, source);
    }
    m_updatingTables = was;
}

QList<RequestDraft::Row> ComposerView::rows(const QTableWidget *table, bool skipInjected)
{
    QList<RequestDraft::Row> list;
    for (int row = 0; row < table->rowCount(); ++row) {
        const QTableWidgetItem *name = table->item(row, NameColumn);
        if (!name || (skipInjected && name->data(InjectedRole).toBool()) || name->text().trimmed().isEmpty())
            continue;
        const QTableWidgetItem *value = table->item(row, ValueColumn);
        list.append({name->text().trimmed(), value ? value->text() : QString(), name->checkState() == Qt::Checked});
    }
    return list;
}

RequestDraft ComposerView::draft() const
{
    RequestDraft draft;
    draft.method = m_method->currentText().trimmed();
    draft.url = m_url->text().trimmed();
    draft.queryParams = rows(m_params, false);
    draft.headers = rows(m_headers, true);
    m_scopes->apply(&draft);
    draft.extraVariables = m_variables->variables();
    const auto type = BodyType(m_bodyType->currentData().toInt());
    if (type == BodyType::File) {
        QFile file(m_body->property("filePath").toString());
        if (file.size() <= fileBodyLimit && file.open(QIODevice::ReadOnly))
            draft.body = file.readAll();
        draft.expandBodyVariables = false; // a file goes as it is
    } else if (type == BodyType::Multipart) {
        draft.formParts = formParts();
    } else if (type != BodyType::None) {
        draft.body = m_body->toPlainText().toUtf8();
    }
    draft.contentType = contentTypeFor(type);
    if (type != BodyType::File)
        draft.expandBodyVariables = m_bodyVariables->isChecked();
    for (const auto &injection : m_switches) {
        if (injection.disabled || injection.value)
            draft.injectionSwitches.append(injection);
    }
    return draft;
}

void ComposerView::setDraft(const RequestDraft &draft)
{
    m_updatingTables = true;
    m_method->setCurrentText(draft.method);
    m_url->setText(draft.url);
    m_params->setRowCount(0);
    for (const auto &row : draft.queryParams)
        addRow(m_params, row.name, row.value, row.enabled);
    m_headers->setRowCount(0);
    for (const auto &row : draft.headers)
        addRow(m_headers, row.name, row.value, row.enabled);
    m_scopes->load(draft);
    m_variables->setVariables(draft.extraVariables);
    m_switches.clear();
    for (const auto &injection : draft.injectionSwitches)
        m_switches.insert(injection.headerName.toLower(), injection);
    BodyType type = BodyType::None;
    if (!draft.body.isEmpty()) {
        const QString contentType = draft.contentType.isEmpty() ? QString::fromLatin1(RequestBuilder::guessContentType(draft.body)) : draft.contentType;
        type = contentType.contains(QStringLiteral("json")) ? BodyType::Json
            : contentType.contains(QStringLiteral("x-www-form-urlencoded")) ? BodyType::Form
                                                                             : BodyType::Raw;
    }
    m_form->setRowCount(0);
    for (const auto &part : draft.formParts)
        addFormRow(part.name, part.value, part.isFile, part.enabled);
    if (!draft.formParts.isEmpty())
        type = BodyType::Multipart;
    m_bodyVariables->setChecked(draft.expandBodyVariables);
    m_bodyType->setCurrentIndex(m_bodyType->findData(int(type)));
    m_body->setPlainText(QString::fromUtf8(draft.body));
    m_updatingTables = false;
    refreshPreview();
    Q_EMIT titleChanged(title());
}

void ComposerView::onHeaderItemChanged(QTableWidgetItem *item)
{
    if (m_updatingTables)
        return;
    const QTableWidgetItem *name = m_headers->item(item->row(), NameColumn);
    if (!name || !name->data(InjectedRole).toBool()) {
        refreshPreview();
        return;
    }
    // Record what the user did to an injected row before the rows are rebuilt from the plan.
    RequestDraft::InjectionSwitch &injection = m_switches[name->text().toLower()];
    injection.headerName = name->text();
    if (item->column() == NameColumn)
        injection.disabled = item->checkState() != Qt::Checked;
    else if (item->column() == ValueColumn)
        injection.value = item->text() == item->data(OriginalValueRole).toString() ? std::nullopt : std::optional<QString>(item->text());
    refreshPreview();
}

void ComposerView::validateBody()
{
    const auto type = BodyType(m_bodyType->currentData().toInt());
    if (type == BodyType::File) {
        const QFileInfo info(m_body->property("filePath").toString());
        m_bodyStatus->setText(info.exists() ? tr("%1 (%2 bytes) is sent as it is").arg(info.fileName()).arg(info.size()) : tr("no file chosen"));
        return;
    }
    if (type == BodyType::Multipart) {
        const QList<RequestDraft::FormPart> parts = formParts();
        qsizetype files = 0;
        qsizetype sent = 0;
        for (const auto &part : parts) {
            if (part.enabled && !part.name.trimmed().isEmpty()) {
                ++sent;
                files += part.isFile;
            }
        }
        const BuiltRequest built = RequestBuilder::build(draft(), m_environment, RequestBuilder::Files::Describe);
        QString fileProblem;
        for (const QString &problem : built.problems) {
            if (problem.contains(QStringLiteral("form field")))
                fileProblem = problem;
        }
        const QString fields = sent == 1 ? tr("1 field") : tr("%1 fields").arg(sent);
        const QString ofThem = files == 0 ? QString() : files == 1 ? tr(", 1 of them a file") : tr(", %1 of them files").arg(files);
        m_bodyStatus->setText(!fileProblem.isEmpty() ? tr("✗ %1").arg(fileProblem) : tr("%1 sent as multipart/form-data%2").arg(fields, ofThem));
        return;
    }
    if (type != BodyType::Json) {
        m_bodyStatus->clear();
        return;
    }
    const QByteArray bytes = m_body->toPlainText().toUtf8();
    if (bytes.trimmed().isEmpty()) {
        m_bodyStatus->setText(tr("empty"));
        return;
    }
    if (bytes.size() > liveJsonLimit) {
        m_bodyStatus->setText(tr("%1 bytes: checked when sent").arg(bytes.size()));
        return;
    }
    // Placeholders are not JSON yet; check the body as it will be sent.
    QByteArray resolved = bytes;
    const BuiltRequest built = RequestBuilder::build(draft(), m_environment, RequestBuilder::Files::Describe);
    if (built.unresolved.isEmpty())
        resolved = built.body;
    QJsonParseError error;
    QJsonDocument::fromJson(resolved, &error);
    if (error.error == QJsonParseError::NoError) {
        m_bodyStatus->setText(tr("✓ valid JSON"));
        return;
    }
    const QByteArray before = resolved.left(error.offset);
    const int lineNumber = int(before.count('\n')) + 1;
    const int column = int(error.offset - before.lastIndexOf('\n'));
    m_bodyStatus->setText(tr("✗ not valid JSON: %1 at line %2, column %3").arg(error.errorString()).arg(lineNumber).arg(column));
}

void ComposerView::addFormRow(const QString &name, const QString &value, bool isFile, bool enabled)
{
    const bool was = m_updatingTables;
    m_updatingTables = true;
    addRow(m_form, name, value, enabled);
    const int row = m_form->rowCount() - 1;
    if (isFile)
        m_form->item(row, ValueColumn)->setToolTip(tr("The path of the file whose content is sent; {{variables}} are resolved in it."));
    // The third column is the kind here, not the source addRow() writes for the header tables.
    auto *kind = new QTableWidgetItem(isFile ? tr("file") : tr("text"));
    kind->setFlags(kind->flags() & ~Qt::ItemIsEditable);
    kind->setData(IsFileRole, isFile);
    m_form->setItem(row, KindColumn, kind);
    m_updatingTables = was;
    if (!m_updatingTables) {
        validateBody();
        refreshPreview();
    }
}

QList<RequestDraft::FormPart> ComposerView::formParts() const
{
    QList<RequestDraft::FormPart> parts;
    for (int row = 0; row < m_form->rowCount(); ++row) {
        const QTableWidgetItem *name = m_form->item(row, NameColumn);
        const QTableWidgetItem *value = m_form->item(row, ValueColumn);
        const QTableWidgetItem *kind = m_form->item(row, KindColumn);
        if (!name || !value || !kind || (name->text().trimmed().isEmpty() && value->text().isEmpty()))
            continue;
        parts.append({name->text().trimmed(), value->text(), kind->data(IsFileRole).toBool(), name->checkState() == Qt::Checked});
    }
    return parts;
}

void ComposerView::chooseFormFile()
{
    auto *dialog = new QFileDialog(this, tr("Add a file to the form"));
    dialog->setObjectName(QStringLiteral("formFileDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        addFormRow(QFileInfo(path).completeBaseName(), path, true, true);
    });
    dialog->open();
}

void ComposerView::loadBodyFile()
{
    auto *dialog = new QFileDialog(this, tr("Send a file as the body"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        const QFileInfo info(path);
        if (info.size() > fileBodyLimit) {
            m_bodyStatus->setText(tr("%1 is larger than 100 MB").arg(info.fileName()));
            return;
        }
        m_body->setProperty("filePath", path);
        m_body->setPlainText(tr("(the file %1 is sent as it is)").arg(QDir::toNativeSeparators(path)));
        validateBody();
        refreshPreview();
    });
    dialog->open();
}

void ComposerView::showInjectedRows(const QList<InjectedHeader> &shown, bool tokenComing)
{
    // Injected rows follow the request's own rows, marked and explained. When the same headers
    // are injected as before, their rows are updated in place: removing a row whose value is
    // being edited would leave its editor to a view that no longer knows it (Qt warns
    // "closeEditor called with an editor that does not belong to this view", and the typing is lost).
    QList<int> injectedRows;
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        if (m_headers->item(row, NameColumn)->data(InjectedRole).toBool())
            injectedRows.append(row);
    }
    bool sameRows = injectedRows.size() == shown.size();
    for (int i = 0; sameRows && i < injectedRows.size(); ++i)
        sameRows = m_headers->item(injectedRows.at(i), NameColumn)->text() == QString::fromLatin1(shown.at(i).name);

    const bool was = m_updatingTables;
    m_updatingTables = true;
    if (!sameRows) {
        for (auto row = injectedRows.crbegin(); row != injectedRows.crend(); ++row)
            m_headers->removeRow(*row);
        injectedRows.clear();
        QFont italic = m_headers->font();
        italic.setItalic(true);
        const QBrush marked = palette().alternateBase();
        for (const InjectedHeader &header : shown) {
            const int row = m_headers->rowCount();
            m_headers->insertRow(row);
            auto *name = new QTableWidgetItem(QString::fromLatin1(header.name));
            name->setFlags((name->flags() | Qt::ItemIsUserCheckable) & ~Qt::ItemIsEditable);
            name->setData(InjectedRole, true);
            auto *value = new QTableWidgetItem;
            auto *source = new QTableWidgetItem;
            source->setFlags(source->flags() & ~Qt::ItemIsEditable);
            source->setToolTip(tr("Added by the environment. Untick to leave it out of this request; edit the value to override it once."));
            for (QTableWidgetItem *item : {name, value, source}) {
                item->setFont(italic);
                item->setBackground(marked);
            }
            m_headers->setItem(row, NameColumn, name);
            m_headers->setItem(row, ValueColumn, value);
            m_headers->setItem(row, SourceColumn, source);
            injectedRows.append(row);
        }
    }
    for (int i = 0; i < shown.size(); ++i) {
        const InjectedHeader &header = shown.at(i);
        const int row = injectedRows.at(i);
        m_headers->item(row, NameColumn)->setCheckState(header.state == InjectedHeader::State::Disabled ? Qt::Unchecked : Qt::Checked);
        const QString shownValue = header.value.isEmpty() && tokenComing && header.secret ? tr("Bearer (a token is fetched when sending)")
                                                                                           : header.displayValue();
        QTableWidgetItem *value = m_headers->item(row, ValueColumn);
        value->setText(shownValue);
        value->setData(OriginalValueRole, shownValue);
        // The token is never shown, so not edited in place.
        value->setFlags(header.secret ? value->flags() & ~Qt::ItemIsEditable : value->flags() | Qt::ItemIsEditable);
        m_headers->item(row, SourceColumn)->setText(stateText(header));
    }
    m_updatingTables = was;
}

void ComposerView::refreshPreview()
{
    const RequestDraft current = draft();
    const BuiltRequest built = RequestBuilder::build(current, m_environment, RequestBuilder::Files::Describe);
    const OriginGuard guard(m_environment.apiBaseUrl);
    // The current token only when sending would reuse it (fresh, and its scopes match): else the
    // preview says a new one is fetched rather than show one that will not go.
    const TokenScopes tokenScopes = TokenScopes::forRequest(current, m_environment);
    const auto held = m_authorizer->currentToken(m_environment.id);
    auto token = held;
    if (token && (token->needsRenewal(m_authorizer->clock()->now()) || !tokenScopes.accepts(*token)))
        token.reset();
    const HeaderInjector::Plan plan = HeaderInjector::plan(m_environment, token, current, built, guard);
    const bool needsToken = HeaderInjector::needsToken(current, built, guard);
    const bool tokenComing = !token && needsToken;

    QList<InjectedHeader> shown = plan.headers;
    if (tokenComing && std::none_of(shown.cbegin(), shown.cend(), [](const InjectedHeader &h) { return h.name.compare("Authorization", Qt::CaseInsensitive) == 0; })) {
        InjectedHeader pending;
        pending.name = "Authorization";
        pending.source = HeaderInjector::tokenSource();
        pending.secret = true;
        shown.prepend(pending);
    }
    showInjectedRows(shown, tokenComing);

    QStringList lines;
    lines.append(QString::fromLatin1(built.method.isEmpty() ? QByteArray("?") : built.method) + QLatin1Char(' ')
                 + (built.url.isValid() ? built.url.toDisplayString() : current.url));
    for (const auto &[name, value] : built.headers.fields())
        lines.append(QString::fromLatin1(name) + QStringLiteral(": ") + QString::fromUtf8(value));
    for (const InjectedHeader &header : std::as_const(shown)) {
        if (header.isSent() || (tokenComing && header.secret))
            lines.append(QString::fromLatin1(header.name) + QStringLiteral(": ")
                         + (header.value.isEmpty() ? QStringLiteral("Bearer ••••") : header.displayValue())
                         + QStringLiteral("   ← ") + header.source);
    }
    if (!built.body.isEmpty()) {
        lines.append(QString());
        lines.append(QString::fromUtf8(built.body.left(4096)) + (built.body.size() > 4096 ? QStringLiteral("\n…") : QString()));
    }
    const QStringList problems = built.allProblems() + plan.problems;
    if (!problems.isEmpty() || !plan.unresolved.isEmpty()) {
        lines.append(QString());
        for (const QString &problem : problems)
            lines.append(tr("✗ %1").arg(problem));
        for (const QString &name : plan.unresolved)
            lines.append(tr("✗ no variable named {{%1}}").arg(name));
    }
    for (const QString &warning : built.warnings)
        lines.append(tr("! %1").arg(warning));
    if (needsToken) {
        lines.append(QString());
        lines.append(QStringLiteral("→ ") + RequestScopesEditor::previewLine(tokenScopes, held, m_authorizer->clock()->now()));
    }
    m_preview->setPlainText(lines.join(QLatin1Char('\n')));
}

CurlCommand::Request ComposerView::curlRequest() const
{
    const RequestDraft current = draft();
    const BuiltRequest built = RequestBuilder::build(current, m_environment, RequestBuilder::Files::Describe);
    const OriginGuard guard(m_environment.apiBaseUrl);
    const HeaderInjector::Plan plan = HeaderInjector::plan(m_environment, m_authorizer->currentToken(m_environment.id), current, built, guard);
    CurlCommand::Request request;
    request.method = QString::fromLatin1(built.method);
    request.url = built.url.toString(QUrl::FullyEncoded);
    request.headers = built.headers.fields();
    HttpHeaders injected;
    HeaderInjector::apply(plan.headers, &injected);
    request.headers.append(injected.fields());
    // A form goes as curl's own -F fields, with the variables resolved as they will be sent.
    const TemplateExpander::Variables variables = RequestBuilder::variablesFor(current, m_environment);
    for (const auto &part : current.formParts) {
        if (part.enabled && !part.name.trimmed().isEmpty())
            request.form.append(current.expandBodyVariables
                                    ? CurlCommand::FormField{TemplateExpander::expand(part.name, variables), TemplateExpander::expand(part.value, variables), part.isFile}
                                    : CurlCommand::FormField{part.name, part.value, part.isFile});
    }
    if (request.form.isEmpty())
        request.body = built.body;
    return request;
}

void ComposerView::send()
{
    if (isSending() || m_confirming)
        return;
    commitPendingEdit();
    m_confirmedUploads.clear(); // a consent is for the send it was given for
    // A new exchange: the previous one's lines go with it (its answer stays in the history).
    m_notice->hide();
    m_response->clear();
    if (m_replay->isActive()) {
        m_replay->confirmThen(m_environment, draft(), [this] {
            if (!isSending())
                start(false);
        });
        return;
    }
    start(false);
}

void ComposerView::commitPendingEdit()
{
    // Ctrl+Return while a cell is being edited sends what the cell shows: moving the focus to
    // the table makes the delegate commit the editor and close it.
    QWidget *focus = QApplication::focusWidget();
    for (QTableWidget *table : {m_params, m_headers, m_form}) {
        if (focus && focus != table->viewport() && table->viewport()->isAncestorOf(focus)) {
            table->setFocus();
            return;
        }
    }
}

void ComposerView::focusUrl()
{
    m_url->setFocus(Qt::ShortcutFocusReason);
    m_url->selectAll();
}

void ComposerView::setReplay(const ReplayPlan &plan, const QString &origin)
{
    m_replay->setPlan(plan, origin);
}

void ComposerView::cancel()
{
    if (m_call)
        m_call->cancel();
}

void ComposerView::setSending(bool sending)
{
    m_send->setEnabled(!sending);
    m_cancel->setVisible(sending);
    if (!sending)
        m_response->setBusy(false);
}

void ComposerView::start(bool productionConfirmed)
{
    if (!m_tokens)
        m_tokens = new AuthorizerTokenSource(m_authorizer, m_environment, {}, this);
    if (!m_call) {
        m_call = new ApiCall(m_tokens, this);
        connect(m_call, &ApiCall::finished, this, &ComposerView::onFinished);
        connect(m_call, &ApiCall::downloadProgress, this, [this](qint64 received, qint64 total) { m_response->setBusy(true, received, total); });
        // The progress line says what the exchange is waiting for now, and nothing else.
        connect(m_call, &ApiCall::authorizing, this, [this](const QStringList &scopes) {
            m_response->setWaiting(tr("Authorizing first (scopes: %1)…").arg(scopes.isEmpty() ? tr("none") : scopes.join(QLatin1Char(' '))));
        });
        connect(m_call, &ApiCall::sending, this, [this] { m_response->setBusy(true); });
    }
    ApiCall::Options options;
    options.productionConfirmed = productionConfirmed;
    options.maxResponseBytes = Preferences::maxResponseBytes(); // as set now, for this send
    options.confirmedUploads = m_confirmedUploads;
    setSending(true);
    m_response->setWaiting(tr("Preparing the request…"));
    m_sentDraft = draft();
    m_call->start(m_environment, m_sentDraft, options);
}

void ComposerView::onFinished(const ApiCallResult &result)
{
    if (result.outcome == ApiCallResult::Outcome::NeedsUploadConsent) {
        // Local files for an origin other than the API: none read yet. Ask, default no.
        m_confirming = true;
        m_response->setBusy(false);
        m_notice->setText(tr("Not sent yet: waiting for your answer about the files."));
        m_notice->show();
        auto *box = new UploadConsentBox(result.uploadConsent, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::finished, this, [this, box, result] {
            m_confirming = false;
            m_notice->hide();
            if (box->sendChosen()) {
                m_confirmedUploads += result.uploadConsent.files();
                start(false);
                return;
            }
            setSending(false);
            m_lastResult = result;
            m_lastResult.outcome = ApiCallResult::Outcome::NotSent;
            m_lastResult.problems = {result.uploadConsent.description() + u' ' + tr("You chose not to send the files; nothing was read or sent.")};
            showResult(m_lastResult);
        });
        box->open();
        return;
    }
    if (result.outcome == ApiCallResult::Outcome::NeedsConfirmation) {
        // Production: nothing was sent. Ask, without blocking, and send only on a clear yes.
        m_confirming = true;
        m_response->setBusy(false);
        m_notice->setText(tr("Not sent yet: waiting for your confirmation."));
        m_notice->show();
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Send to production?"), result.confirmation, QMessageBox::Cancel, this);
        box->setObjectName(QStringLiteral("productionConfirmation"));
        box->setTextFormat(Qt::PlainText); // the URL and the environment's name
        QPushButton *go = box->addButton(tr("Send to production"), QMessageBox::DestructiveRole);
        box->setDefaultButton(QMessageBox::Cancel);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::finished, this, [this, box, go, result] {
            m_confirming = false;
            m_notice->hide();
            if (box->clickedButton() == go) {
                start(true);
                return;
            }
            setSending(false);
            m_lastResult = result;
            m_lastResult.outcome = ApiCallResult::Outcome::NotSent;
            m_lastResult.problems = {tr("the request to production was not confirmed.")};
            showResult(m_lastResult);
        });
        box->open();
        return;
    }
    setSending(false);
    m_lastResult = result;
    showResult(result);
    Q_EMIT exchanged(m_sentDraft, result);
    refreshPreview();
}

void ComposerView::describeAnswer(const ApiCallResult &result, ResponseDisplay *display)
{
    const ExchangeResult &answer = result.exchange;
    display->status = answer.status;
    display->reason = QString::fromLatin1(answer.reason);
    display->statusMeaning = DenialReadout::statusMeaning(answer.status);
    if (result.readout.isDenial())
        display->readout = result.readout.text();
    if (result.readout.kind == DenialReadout::Kind::InsufficientScope)
        display->missingScopes = result.readout.missingScopes.isEmpty() ? result.readout.requiredScopes : result.readout.missingScopes;
    display->headers = answer.headers.fields();
    display->body = answer.body;
    display->contentType = QString::fromLatin1(answer.headers.value("Content-Type"));
    display->elapsedMs = qint64(answer.totalMs);
    display->sizeBytes = answer.size();
}

void ComposerView::showResult(const ApiCallResult &result)
{
    ResponseDisplay display;
    QStringList notes = result.notes;
    switch (result.outcome) {
    case ApiCallResult::Outcome::Answered:
        describeAnswer(result, &display);
        break;
    case ApiCallResult::Outcome::TokenFailed:
        display.error = tr("No token: %1").arg(result.tokenError.summary());
        if (!result.tokenError.hint().isEmpty())
            display.error += QLatin1Char('\n') + result.tokenError.hint();
        break;
    case ApiCallResult::Outcome::TransportFailed:
        if (result.exchange.error == ExchangeResult::Error::TooLarge) {
            // Stopped at a size limit: what came (status, headers, the body up to the limit) is
            // shown, under a banner that says where it was cut and where to raise the limit.
            describeAnswer(result, &display);
            display.cut = ResponseDisplay::Cut{result.exchange.tooLarge == ExchangeResult::TooLarge::Headers, result.exchange.sizeLimit,
                                               result.exchange.body.size()};
            break;
        }
        display.error = result.exchange.errorText();
        break;
    case ApiCallResult::Outcome::Cancelled:
        display.error = tr("Cancelled.");
        break;
    case ApiCallResult::Outcome::NotSent:
    case ApiCallResult::Outcome::Refused:
    case ApiCallResult::Outcome::NeedsConfirmation:
    case ApiCallResult::Outcome::NeedsUploadConsent:
        display.notSent = true;
        display.error = result.problems.join(QLatin1Char(' '));
        break;
    }
    // Said of this exchange, beside its answer, so it goes when the exchange does.
    if (result.authorizedFirst && result.token) {
        switch (result.outcome) {
        case ApiCallResult::Outcome::Answered: notes.prepend(tr("A token was fetched first.")); break;
        case ApiCallResult::Outcome::NotSent:
        case ApiCallResult::Outcome::Refused: notes.prepend(tr("A token was fetched, but the request was not sent.")); break;
        default: notes.prepend(tr("A token was fetched first; the request then got no answer.")); break;
        }
    }
    display.notes = notes;
    m_response->setResponse(display);
}
