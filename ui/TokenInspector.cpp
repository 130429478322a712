#include "TokenInspector.h"

#include "ClaimsView.h"
#include "IntrospectionPanel.h"
#include "SignatureCheckView.h"
#include "jwt/CertificateBinding.h"
#include "PlainToolTips.h"
#include "RefreshTokenStatus.h"

#include "Fonts.h"
#include "jwt/JwtView.h"
#include "util/Clock.h"
#include "util/EpochTime.h"

#include <QCheckBox>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpacerItem>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// The bar is drawn in thousandths so a 14-day token still fits an int range.
constexpr int barResolution = 1000;

const auto stateOk = u"ok"_s;
const auto stateEnding = u"ending"_s;
const auto stateExpired = u"expired"_s;
const auto stateUnknown = u"unknown"_s;

enum class Tone { Good, Warning, Danger };

// Badges carry their own foreground and background, so they read the same on a light or a
// dark palette (each pair is above 4.5:1).
QString badgeStyle(Tone tone)
{
    QString background;
    QString foreground;
    switch (tone) {
    case Tone::Good: background = u"#2e7d32"_s; foreground = u"#ffffff"_s; break;
    case Tone::Warning: background = u"#f0b000"_s; foreground = u"#1a1a1a"_s; break;
    case Tone::Danger: background = u"#c62828"_s; foreground = u"#ffffff"_s; break;
    }
    return u"QLabel { background-color: %1; color: %2; border-radius: 3px; padding: 1px 6px; font-weight: 600; }"_s.arg(
        background, foreground);
}

bool isSensitiveFieldName(const QString &name)
{
    return name.contains(u"token"_s, Qt::CaseInsensitive) || name.contains(u"secret"_s, Qt::CaseInsensitive);
}

QString indentedJson(const QJsonObject &object)
{
    QString text = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)).trimmed();
    text.replace(u'\n', u"\n    "_s);
    return text;
}

QString jsonValueText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isNull())
        return u"null"_s;
    return value.toVariant().toString();
}

QLabel *valueLabel(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

QLabel *headingLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}
} // namespace

TokenInspector::TokenInspector(const Clock *clock, QWidget *parent)
    : QWidget(parent)
    , m_clock(clock ? clock : Clock::system())
{
    buildUi();
    applyLifeStyle();
    clear();
}

TokenInspector::~TokenInspector()
{
    // A token left on the clipboard by a window that is going away would outlive every reminder.
    if (m_clipboardTimer->isActive() && qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        clearClipboardIfOurs();
}

void TokenInspector::buildUi()
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);

    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(u"inspectorScroll"_s);
    scroll->setAccessibleName(tr("Token details"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // Narrow docks wrap text instead of scrolling sideways.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    outer->addWidget(scroll);

    auto *content = new QWidget(scroll);
    auto *layout = new QVBoxLayout(content);
    scroll->setWidget(content);

    // Where the token comes from and how it stands.
    auto *header = new QHBoxLayout;
    m_environment = new QLabel(content);
    m_environment->setObjectName(u"environmentName"_s);
    m_environment->setWordWrap(true);
    m_environment->setTextFormat(Qt::PlainText);
    QFont environmentFont = m_environment->font();
    environmentFont.setBold(true);
    m_environment->setFont(environmentFont);
    m_expiryState = new QLabel(content);
    m_expiryState->setObjectName(u"expiryState"_s);
    header->addWidget(m_environment, 1);
    header->addWidget(m_expiryState, 0, Qt::AlignRight | Qt::AlignVCenter);
    layout->addLayout(header);

    auto *countdownRow = new QHBoxLayout;
    m_emptyState = new QLabel(tr("No token yet — Authorize to get one."), content);
    m_emptyState->setObjectName(u"emptyState"_s);
    m_emptyState->setWordWrap(true);
    m_countdown = new QLabel(content);
    m_countdown->setObjectName(u"countdown"_s);
    m_countdown->setAccessibleName(tr("Time left"));
    m_countdown->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont countdownFont = m_countdown->font();
    countdownFont.setPointSizeF(countdownFont.pointSizeF() * 1.6);
    countdownFont.setBold(true);
    m_countdown->setFont(countdownFont);
    m_reauthorize = new QPushButton(content);
    m_reauthorize->setObjectName(u"reauthorize"_s);
    connect(m_reauthorize, &QPushButton::clicked, this, &TokenInspector::reauthorizeRequested);
    countdownRow->addWidget(m_emptyState, 1);
    countdownRow->addWidget(m_countdown, 1);
    countdownRow->addWidget(m_reauthorize, 0, Qt::AlignRight | Qt::AlignVCenter);
    layout->addLayout(countdownRow);

    m_lifeBar = new QProgressBar(content);
    m_lifeBar->setObjectName(u"lifeBar"_s);
    m_lifeBar->setAccessibleName(tr("Token lifetime left"));
    m_lifeBar->setRange(0, barResolution);
    m_lifeBar->setTextVisible(false);
    m_lifeBar->setFixedHeight(10);
    layout->addWidget(m_lifeBar);

    auto *renewRow = new QHBoxLayout;
    m_autoRenew = new QCheckBox(tr("Auto-&renew"), content);
    m_autoRenew->setObjectName(u"autoRenew"_s);
    m_autoRenew->setAccessibleName(tr("Renew the token automatically before it expires"));
    m_renewLead = new QSpinBox(content);
    m_renewLead->setObjectName(u"renewLead"_s);
    m_renewLead->setAccessibleName(tr("Seconds before expiry to renew"));
    m_renewLead->setRange(1, 3600);
    m_renewLead->setValue(30);
    m_renewLead->setSuffix(tr(" s before expiry"));
    connect(m_autoRenew, &QCheckBox::toggled, this, [this](bool on) {
        Q_EMIT autoRenewChanged(on);
        refresh();
    });
    connect(m_renewLead, &QSpinBox::valueChanged, this, [this](int seconds) {
        Q_EMIT renewLeadSecondsChanged(seconds);
        refresh();
    });
    renewRow->addWidget(m_autoRenew);
    renewRow->addWidget(m_renewLead);
    renewRow->addStretch(1);
    layout->addLayout(renewRow);

    // Everything below describes a token and disappears without one.
    m_details = new QWidget(content);
    auto *detailsLayout = new QVBoxLayout(m_details);
    detailsLayout->setContentsMargins(0, 6, 0, 0);
    layout->addWidget(m_details, 1);
    // Only takes space while the details are hidden (stretch 0 loses to the details' 1), so the
    // empty state sits at the top instead of being spread over the dock.
    layout->addStretch(0);

    auto *form = new QFormLayout;
    m_form = form;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    detailsLayout->addLayout(form);

    m_tokenType = valueLabel(m_details, u"tokenType"_s);
    form->addRow(tr("Type:"), m_tokenType);

    auto *tokenBox = new QVBoxLayout;
    tokenBox->setSpacing(2);
    auto *tokenRow = new QHBoxLayout;
    m_tokenValue = new QLineEdit(m_details);
    m_tokenValue->setObjectName(u"tokenValue"_s);
    m_tokenValue->setAccessibleName(tr("Access token"));
    m_tokenValue->setReadOnly(true);
    m_tokenValue->setEchoMode(QLineEdit::Password);
    m_tokenValue->setFont(Fonts::monospace());
    m_tokenValue->setMinimumWidth(60);
    m_revealToken = new QToolButton(m_details);
    m_revealToken->setObjectName(u"revealToken"_s);
    m_revealToken->setCheckable(true);
    m_revealToken->setText(tr("Show"));
    m_revealToken->setAccessibleName(tr("Show the access token"));
    m_revealToken->setToolTip(tr("Show or hide the access token"));
    connect(m_revealToken, &QToolButton::toggled, this, [this](bool shown) {
        m_tokenValue->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_revealToken->setText(shown ? tr("Hide") : tr("Show"));
        m_revealToken->setAccessibleName(shown ? tr("Hide the access token") : tr("Show the access token"));
    });
    m_copyToken = new QToolButton(m_details);
    m_copyToken->setObjectName(u"copyToken"_s);
    m_copyToken->setText(tr("Copy"));
    m_copyToken->setAccessibleName(tr("Copy the access token"));
    m_copyToken->setToolTip(tr("Copy the access token; the clipboard is cleared again after a while"));
    connect(m_copyToken, &QToolButton::clicked, this, &TokenInspector::copyToken);
    tokenRow->addWidget(m_tokenValue, 1);
    tokenRow->addWidget(m_revealToken);
    tokenRow->addWidget(m_copyToken);
    tokenBox->addLayout(tokenRow);
    m_clipboardNote = new QLabel(m_details);
    m_clipboardNote->setObjectName(u"clipboardNote"_s);
    m_clipboardNote->setWordWrap(true);
    m_clipboardNote->setForegroundRole(QPalette::PlaceholderText);
    tokenBox->addWidget(m_clipboardNote);
    auto *tokenLabel = new QLabel(tr("&Token:"), m_details);
    tokenLabel->setBuddy(m_tokenValue);
    form->addRow(tokenLabel, tokenBox);

    m_refreshToken = new RefreshTokenStatus(m_details);
    form->addRow(tr("Refresh token:"), m_refreshToken);

    auto *formatBox = new QVBoxLayout;
    formatBox->setSpacing(2);
    m_formatBadge = new QLabel(m_details);
    m_formatBadge->setObjectName(u"formatBadge"_s);
    m_tokenFormat = valueLabel(m_details, u"tokenFormat"_s);
    formatBox->addWidget(m_formatBadge, 0, Qt::AlignLeft);
    formatBox->addWidget(m_tokenFormat);
    form->addRow(tr("Format:"), formatBox);
    m_signature = new SignatureCheckView(m_details);
    form->addRow(tr("Signature:"), m_signature);
    m_certificateBinding = valueLabel(m_details, u"certificateBinding"_s);
    m_certificateBinding->setAccessibleName(tr("Certificate binding"));
    form->addRow(tr("Certificate:"), m_certificateBinding);

    m_grantedScopes = valueLabel(m_details, u"grantedScopes"_s);
    m_grantedScopes->setTextFormat(Qt::RichText);
    m_grantedScopes->setAccessibleName(tr("Granted scopes"));
    form->addRow(tr("Scopes:"), m_grantedScopes);

    m_issuedAt = valueLabel(m_details, u"issuedAt"_s);
    m_issuedAtLabel = new QLabel(tr("Issued:"), m_details);
    form->addRow(m_issuedAtLabel, m_issuedAt);
    m_expiresAt = valueLabel(m_details, u"expiresAt"_s);
    form->addRow(tr("Expires:"), m_expiresAt);
    m_notBefore = valueLabel(m_details, u"notBefore"_s);
    form->addRow(tr("Not before:"), m_notBefore);

    m_introspection = new IntrospectionPanel(m_details);
    detailsLayout->addWidget(m_introspection);
    m_extraSection = new QWidget(m_details);
    auto *extraLayout = new QVBoxLayout(m_extraSection);
    extraLayout->setContentsMargins(0, 6, 0, 0);
    extraLayout->addWidget(headingLabel(tr("Other response fields"), m_extraSection));
    m_extraFields = new QTableWidget(0, 2, m_extraSection);
    m_extraFields->setObjectName(u"extraFields"_s);
    PlainToolTips::install(m_extraFields); // the token response's own fields
    m_extraFields->setAccessibleName(tr("Other fields of the token response"));
    m_extraFields->setHorizontalHeaderLabels({tr("Field"), tr("Value")});
    m_extraFields->verticalHeader()->hide();
    m_extraFields->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_extraFields->horizontalHeader()->setStretchLastSection(true);
    m_extraFields->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_extraFields->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_extraFields->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_extraFields->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    // One line per field: rows measured before the dock has its width would keep stale heights.
    m_extraFields->setWordWrap(false);
    m_extraFields->setTextElideMode(Qt::ElideMiddle);
    m_extraFields->setAlternatingRowColors(true);
    extraLayout->addWidget(m_extraFields);
    detailsLayout->addWidget(m_extraSection);

    auto *claimsHeader = new QHBoxLayout;
    claimsHeader->setContentsMargins(0, 6, 0, 0);
    claimsHeader->addWidget(headingLabel(tr("JWT header and claims"), m_details), 1);
    m_copyClaims = new QToolButton(m_details);
    m_copyClaims->setObjectName(u"copyClaims"_s);
    m_copyClaims->setText(tr("Copy JSON"));
    m_copyClaims->setAccessibleName(tr("Copy the JWT header and claims"));
    connect(m_copyClaims, &QToolButton::clicked, this, &TokenInspector::copyClaims);
    claimsHeader->addWidget(m_copyClaims);
    detailsLayout->addLayout(claimsHeader);

    m_claimsNote = valueLabel(m_details, u"claimsNote"_s);
    detailsLayout->addWidget(m_claimsNote);

    m_claimsView = new ClaimsView(m_details);
    m_claimsView->setObjectName(u"claimsView"_s);
    m_claimsView->setAccessibleName(tr("Decoded JWT header and claims"));
    m_claimsView->setReadOnly(true);
    m_claimsView->setFont(Fonts::monospace());
    m_claimsView->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_claimsView->setMinimumHeight(m_claimsView->fontMetrics().lineSpacing() * 8);
    detailsLayout->addWidget(m_claimsView, 1);
    // Takes the claims view's place at the bottom when there are no claims, so the facts stay
    // together at the top instead of being spread over the dock's height.
    m_claimsSpacer = new QSpacerItem(0, 0, QSizePolicy::Minimum, QSizePolicy::Expanding);
    detailsLayout->addSpacerItem(m_claimsSpacer);

    m_tick = new QTimer(this);
    m_tick->setSingleShot(true);
    m_tick->setTimerType(Qt::PreciseTimer);
    connect(m_tick, &QTimer::timeout, this, &TokenInspector::refresh);

    m_clipboardTimer = new QTimer(this);
    m_clipboardTimer->setSingleShot(true);
    connect(m_clipboardTimer, &QTimer::timeout, this, &TokenInspector::clearClipboardIfOurs);
}

void TokenInspector::setToken(const AccessToken &token, const QString &environmentName)
{
    m_token = token;
    m_environmentName = environmentName;
    m_hasToken = true;
    m_renewSignalled = false;
    // A new token starts hidden, whatever the previous one was showing.
    m_revealToken->setChecked(false);

    m_emptyState->hide();
    m_countdown->show();
    m_details->show();
    m_environment->setVisible(!environmentName.isEmpty());
    m_reauthorize->setText(tr("Re-&authorize"));
    m_reauthorize->setAccessibleName(tr("Re-authorize"));
    m_revealToken->setEnabled(true);
    m_copyToken->setEnabled(true);
    showFacts();
    m_signature->check(token, m_jwksUrl, m_trustedCertificates);
    refresh();
}

void TokenInspector::setSignatureKeys(const QUrl &jwksUrl, const QByteArray &trustedCertificates, const QUrl &issuer, const QString &clientId)
{
    m_jwksUrl = jwksUrl;
    m_trustedCertificates = trustedCertificates;
    m_signature->setIdTokenExpectation(issuer, clientId);
}

void TokenInspector::setClientCertificate(const QByteArray &pem)
{
    m_clientCertificate = pem;
}

void TokenInspector::setSignatureProxy(const ProxyPolicy &proxy)
{
    m_signature->setProxy(proxy);
}

void TokenInspector::clear()
{
    m_tick->stop();
    m_signature->clear();
    m_token = {};
    m_environmentName.clear();
    m_hasToken = false;
    m_renewSignalled = false;
    m_claimsJson.clear();
    m_revealToken->setChecked(false);
    m_tokenValue->clear();
    m_claimsView->clearJson();
    m_extraFields->setRowCount(0);
    m_clipboardNote->hide();

    m_environment->hide();
    m_countdown->hide();
    m_countdown->clear();
    m_lifeBar->hide();
    m_details->hide();
    m_emptyState->show();
    m_reauthorize->setText(tr("&Authorize"));
    m_reauthorize->setAccessibleName(tr("Authorize"));
    m_revealToken->setEnabled(false);
    m_copyToken->setEnabled(false);
    m_copyClaims->setEnabled(false);
    setLifeState({});
}

bool TokenInspector::hasToken() const
{
    return m_hasToken;
}

void TokenInspector::setAutoRenew(bool on)
{
    m_autoRenew->setChecked(on);
}

bool TokenInspector::autoRenew() const
{
    return m_autoRenew->isChecked();
}

void TokenInspector::setRenewLeadSeconds(int seconds)
{
    m_renewLead->setValue(std::clamp(seconds, 1, 3600));
}

int TokenInspector::renewLeadSeconds() const
{
    return m_renewLead->value();
}

void TokenInspector::setClipboardClearSeconds(int seconds)
{
    setClipboardClearInterval(std::chrono::seconds(std::max(0, seconds)));
}

int TokenInspector::clipboardClearSeconds() const
{
    return static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(m_clipboardClearInterval).count());
}

void TokenInspector::setClipboardClearInterval(std::chrono::milliseconds interval)
{
    m_clipboardClearInterval = std::max(interval, std::chrono::milliseconds(0));
}

QString TokenInspector::formatCountdown(qint64 secondsLeft)
{
    const auto pad = [](qint64 n) { return u"%1"_s.arg(n, 2, 10, QChar(u'0')); };
    if (secondsLeft > 0) {
        const qint64 days = secondsLeft / 86400;
        const qint64 hours = secondsLeft % 86400 / 3600;
        const qint64 minutes = secondsLeft % 3600 / 60;
        const qint64 seconds = secondsLeft % 60;
        if (days > 0)
            return tr("%1d %2h").arg(days).arg(hours);
        if (hours > 0)
            return tr("%1h %2m %3s").arg(hours).arg(pad(minutes), pad(seconds));
        return u"%1:%2"_s.arg(pad(minutes), pad(seconds));
    }
    const qint64 ago = -secondsLeft;
    if (ago == 0)
        return tr("expired just now");
    if (ago < 60)
        return tr("expired %1s ago").arg(ago);
    if (ago < 3600)
        return tr("expired %1m ago").arg(ago / 60);
    if (ago < 86400)
        return tr("expired %1h %2m ago").arg(ago / 3600).arg(pad(ago % 3600 / 60));
    return tr("expired %1d %2h ago").arg(ago / 86400).arg(ago % 86400 / 3600);
}

void TokenInspector::refresh()
{
    if (!m_hasToken)
        return;
    if (!m_token.hasKnownExpiry()) {
        m_tick->stop();
        m_countdown->setText(tr("unknown"));
        m_countdown->setToolTip(tr("The server sent no expires_in and the token carries no exp claim."));
        m_lifeBar->hide();
        setLifeState(stateUnknown);
        return;
    }

    // Rounded away from the moment of expiry: "00:01" while any of the last second remains,
    // "expired" from the instant itself (secsTo() would call the last second expired early).
    const qint64 msLeft = m_clock->now().msecsTo(m_token.expiresAt);
    const qint64 left = msLeft > 0 ? (msLeft + 999) / 1000 : msLeft / 1000;
    const qint64 lifetime = m_token.lifetimeSeconds();
    QString state;
    if (left <= 0)
        state = stateExpired;
    else if (lifetime > 0 ? left * 10 <= lifetime : left <= 30) // without a lifetime, TokenCache's 30 s cap
        state = stateEnding;
    else
        state = stateOk;

    m_countdown->setText(formatCountdown(left));
    m_countdown->setToolTip({});
    if (lifetime > 0) {
        m_lifeBar->setValue(static_cast<int>(std::clamp<qint64>(left * barResolution / lifetime, 0, barResolution)));
        m_lifeBar->setVisible(true);
    } else {
        // Without the moment it was obtained there is no fraction to draw.
        m_lifeBar->hide();
    }
    setLifeState(state);
    maybeSignalRenewal(left);
    scheduleTick();
}

void TokenInspector::scheduleTick()
{
    // Tick just after the displayed second changes rather than drifting against it. Keeps
    // ticking while hidden: auto-renewal must not depend on the dock being open.
    const qint64 msLeft = m_clock->now().msecsTo(m_token.expiresAt);
    qint64 interval = msLeft > 0 ? msLeft % 1000 : 1000 - (-msLeft % 1000);
    if (interval == 0)
        interval = 1000;
    m_tick->start(std::chrono::milliseconds(interval + 5));
}

void TokenInspector::maybeSignalRenewal(qint64 secondsLeft)
{
    if (!m_autoRenew->isChecked() || m_renewSignalled || !m_token.hasKnownExpiry())
        return;
    qint64 lead = renewLeadSeconds();
    // Never before half-time: a lead longer than a short token's life would renew in a loop.
    if (const qint64 lifetime = m_token.lifetimeSeconds(); lifetime > 0)
        lead = std::min(lead, lifetime / 2);
    if (secondsLeft > lead)
        return;
    m_renewSignalled = true;
    Q_EMIT renewDue();
}

void TokenInspector::setLifeState(const QString &state)
{
    if (state == m_lifeState)
        return;
    m_lifeState = state;
    setProperty("lifeState", state);
    m_lifeBar->setProperty("lifeState", state);
    m_expiryState->setProperty("lifeState", state);
    applyLifeStyle();
    Q_EMIT lifeStateChanged(state);
}

void TokenInspector::applyLifeStyle()
{
    const QPalette pal = palette();
    const QString groove = pal.color(QPalette::Base).name();
    const QString border = pal.color(QPalette::Mid).name();
    // Mid-tone chunk colours: at least 3:1 against both a light and a dark base.
    QString chunk = u"#3c9a46"_s;
    QString grooveStyle = u"border: 1px solid %1; background-color: %2;"_s.arg(border, groove);

    m_expiryState->show();
    m_expiryState->setStyleSheet({});
    QFont stateFont = font();
    if (m_lifeState == stateOk) {
        m_expiryState->setText(tr("Active"));
        m_expiryState->setStyleSheet(badgeStyle(Tone::Good));
    } else if (m_lifeState == stateEnding) {
        chunk = u"#c77800"_s;
        m_expiryState->setText(tr("Ending soon"));
        m_expiryState->setStyleSheet(badgeStyle(Tone::Warning));
    } else if (m_lifeState == stateExpired) {
        chunk = u"#d32f2f"_s;
        grooveStyle = u"border: 1px solid #d32f2f; background-color: rgba(211, 47, 47, 70);"_s;
        m_expiryState->setText(tr("Expired"));
        m_expiryState->setStyleSheet(badgeStyle(Tone::Danger));
    } else if (m_lifeState == stateUnknown) {
        m_expiryState->setText(tr("Expiry unknown"));
        stateFont.setItalic(true);
    } else {
        m_expiryState->clear();
        m_expiryState->hide();
    }
    m_expiryState->setFont(stateFont);
    m_countdown->setAccessibleDescription(m_expiryState->text());
    m_lifeBar->setStyleSheet(u"QProgressBar { %1 border-radius: 3px; }"
                             u" QProgressBar::chunk { background-color: %2; border-radius: 2px; }"_s.arg(grooveStyle, chunk));
}

void TokenInspector::showFacts()
{
    m_environment->setText(m_environmentName);
    m_tokenType->setText(m_token.tokenType.isEmpty() ? tr("(not given by the server)") : m_token.tokenType);
    m_tokenValue->setText(m_token.value);
    m_tokenValue->setCursorPosition(0);
    m_clipboardNote->setVisible(m_clipboardTimer->isActive());

    m_refreshToken->setToken(m_token);
    m_form->setRowVisible(m_refreshToken, m_refreshToken->isHeld());
    m_introspection->setToken(m_token);

    const auto formatTime = [](const QDateTime &when) {
        const QDateTime utc = when.toUTC();
        const QDateTime local = when.toLocalTime();
        const QString utcText = utc.toString(u"yyyy-MM-dd HH:mm:ss"_s);
        if (local.offsetFromUtc() == 0 && local.timeZoneAbbreviation() == u"UTC"_s)
            return tr("%1 UTC (local time)").arg(utcText);
        return tr("%1 %2 (local)\n%3 UTC").arg(local.toString(u"yyyy-MM-dd HH:mm:ss"_s), local.timeZoneAbbreviation(), utcText);
    };

    const JwtView jwt = m_token.jwt();
    if (const auto iat = jwt.issuedAt()) {
        m_issuedAtLabel->setText(tr("Issued:"));
        m_issuedAt->setText(formatTime(*iat));
    } else {
        // Without an iat claim the best we know is when the answer arrived.
        m_issuedAtLabel->setText(tr("Obtained:"));
        m_issuedAt->setText(m_token.obtainedAt.isValid() ? formatTime(m_token.obtainedAt) : tr("unknown"));
    }
    if (m_token.hasKnownExpiry()) {
        QString text = formatTime(m_token.expiresAt);
        if (m_token.expirySource == AccessToken::ExpirySource::JwtExp)
            text += u'\n' + tr("(from the JWT's exp claim; the server sent no expires_in)");
        m_expiresAt->setText(text);
    } else {
        m_expiresAt->setText(tr("unknown — the server sent no expires_in and the token has no exp claim"));
    }
    const auto nbf = jwt.notBefore();
    m_notBefore->setText(nbf ? formatTime(*nbf) : QString());
    m_form->setRowVisible(m_notBefore, nbf.has_value());

    showScopes();
    showExtraFields();
    showJwt();
}

void TokenInspector::showScopes()
{
    const QStringList missing = m_token.missingScopes();
    m_grantedScopes->setProperty("notGranted", missing);
    if (m_token.scopeSource == AccessToken::ScopeSource::NotReported) {
        QString text = u"<i>%1</i>"_s.arg(tr("not reported by the server").toHtmlEscaped());
        if (!m_token.requestedScopes.isEmpty())
            text += u"<br>"_s + tr("Requested: %1").arg(m_token.requestedScopes.join(u' ')).toHtmlEscaped();
        m_grantedScopes->setText(text);
        return;
    }
    QStringList lines;
    for (const QString &scope : m_token.grantedScopes)
        lines.append(scope.toHtmlEscaped());
    if (m_token.grantedScopes.isEmpty())
        lines.append(u"<i>%1</i>"_s.arg(tr("none").toHtmlEscaped()));
    // Marked in words as well as colour, so the difference survives a screen reader.
    const QString warning = darkPalette() ? u"#ff8a80"_s : u"#b71c1c"_s;
    for (const QString &scope : missing) {
        lines.append(u"<span style=\"color:%1\">✗ %2</span>"_s.arg(
            warning, tr("%1 — requested, not granted").arg(scope).toHtmlEscaped()));
    }
    if (m_token.scopeSource == AccessToken::ScopeSource::JwtClaim)
        lines.append(u"<i>%1</i>"_s.arg(tr("(from the JWT's scope claim)").toHtmlEscaped()));
    m_grantedScopes->setText(lines.join(u"<br>"_s));
}

void TokenInspector::showExtraFields()
{
    const QJsonObject &fields = m_token.extraFields;
    m_extraFields->setRowCount(0);
    m_extraSection->setVisible(!fields.isEmpty());
    if (fields.isEmpty())
        return;
    m_extraFields->setRowCount(static_cast<int>(fields.size()));
    int row = 0;
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it, ++row) {
        auto *name = new QTableWidgetItem(it.key());
        QTableWidgetItem *value = nullptr;
        // Fields such as id_token are credentials in their own right.
        if (isSensitiveFieldName(it.key())) {
            value = new QTableWidgetItem(u"••••"_s);
            value->setToolTip(tr("Hidden: the name says this is a credential"));
        } else {
            // A time is shown as a date beside the number the server sent.
            const QString raw = jsonValueText(it.value());
            if (const auto when = EpochTime::fromField(it.key(), it.value())) {
                const QDateTime local = when->toLocalTime();
                value = new QTableWidgetItem(tr("%1 (%2)").arg(raw, EpochTime::utcText(*when)));
                value->setToolTip(tr("%1\n%2 UTC\n%3 %4 (local)")
                                      .arg(raw, when->toString(u"yyyy-MM-dd HH:mm:ss"_s), local.toString(u"yyyy-MM-dd HH:mm:ss"_s),
                                           local.timeZoneAbbreviation()));
            } else {
                value = new QTableWidgetItem(raw);
                value->setToolTip(raw);
            }
        }
        m_extraFields->setItem(row, 0, name);
        m_extraFields->setItem(row, 1, value);
    }
    // Sized to its rows so the inspector's own scroll area does the scrolling.
    m_extraFields->setFixedHeight(m_extraFields->horizontalHeader()->sizeHint().height()
                                  + m_extraFields->verticalHeader()->defaultSectionSize() * m_extraFields->rowCount()
                                  + 2 * m_extraFields->frameWidth());
}

void TokenInspector::showJwt()
{
    const JwtView jwt = m_token.jwt();
    m_formatBadge->hide();
    m_formatBadge->setStyleSheet({});
    m_claimsJson.clear();
    m_claimsView->clearJson();
    switch (jwt.kind()) {
    case JwtView::Kind::Opaque:
        m_tokenFormat->setText(tr("Opaque token — the server keeps its meaning."));
        m_claimsNote->setText(tr("Opaque token — the server keeps its meaning. There are no claims to show."));
        break;
    case JwtView::Kind::Malformed:
        m_formatBadge->setText(tr("MALFORMED"));
        m_formatBadge->setStyleSheet(badgeStyle(Tone::Warning));
        m_formatBadge->show();
        m_tokenFormat->setText(tr("Looks like a JWT but cannot be decoded: %1").arg(jwt.problem()));
        m_claimsNote->setText(tr("Cannot decode this token: %1").arg(jwt.problem()));
        break;
    case JwtView::Kind::Jwt:
        if (jwt.isUnsigned()) {
            m_formatBadge->setText(tr("UNSIGNED"));
            m_formatBadge->setStyleSheet(badgeStyle(Tone::Danger));
            m_formatBadge->show();
            m_tokenFormat->setText(tr("JWT with alg \"none\": it carries no signature, so anyone could have written these claims."));
        } else {
            const QString alg = jwt.algorithm().isEmpty() ? tr("no alg") : jwt.algorithm();
            m_tokenFormat->setText(tr("JWT (%1). The claims are decoded for reading; the signature line says whether the issuer's keys verify them.").arg(alg));
        }
        m_claimsJson = u"{\n    \"header\": %1,\n    \"claims\": %2\n}\n"_s.arg(indentedJson(jwt.header()), indentedJson(jwt.claims()));
        m_claimsView->setJson(m_claimsJson);
        break;
    }
    const bool isJwt = jwt.isJwt();
    // RFC 8705 §3: only a bound token, or one the environment could have bound, has a line here.
    const CertificateBinding binding = CertificateBinding::check(jwt.claims(), m_clientCertificate);
    m_certificateBinding->setText(binding.summary());
    m_form->setRowVisible(m_certificateBinding, isJwt && (binding.isBound() || !m_clientCertificate.isEmpty()));
    m_claimsNote->setVisible(!isJwt);
    m_claimsView->setVisible(isJwt);
    m_claimsSpacer->changeSize(0, 0, QSizePolicy::Minimum, isJwt ? QSizePolicy::Fixed : QSizePolicy::Expanding);
    m_details->layout()->invalidate();
    m_copyClaims->setEnabled(isJwt);
}

void TokenInspector::copyToken()
{
    if (!m_hasToken || m_token.value.isEmpty())
        return;
    auto *mime = new QMimeData;
    mime->setText(m_token.value);
    // KDE's hint, also honoured by other clipboard managers, keeps the token out of clipboard history.
    mime->setData(u"x-kde-passwordManagerHint"_s, QByteArrayLiteral("secret"));
    QGuiApplication::clipboard()->setMimeData(mime);
    m_copiedToken = m_token.value;

    if (m_clipboardClearInterval.count() > 0) {
        m_clipboardTimer->start(m_clipboardClearInterval);
        const auto seconds = (m_clipboardClearInterval.count() + 999) / 1000;
        m_clipboardNote->setText(tr("Copied. The clipboard is cleared in %n second(s).", nullptr, static_cast<int>(seconds)));
    } else {
        m_clipboardTimer->stop();
        m_clipboardNote->setText(tr("Copied."));
    }
    m_clipboardNote->show();
    Q_EMIT copied(u"token"_s);
}

void TokenInspector::copyClaims()
{
    if (m_claimsJson.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(m_claimsJson);
    Q_EMIT copied(u"claims"_s);
}

void TokenInspector::clearClipboardIfOurs()
{
    m_clipboardTimer->stop();
    QClipboard *clipboard = QGuiApplication::clipboard();
    // Whatever the user copied since is theirs to keep.
    if (!m_copiedToken.isEmpty() && clipboard->text() == m_copiedToken) {
        clipboard->clear();
        m_clipboardNote->setText(tr("Clipboard cleared."));
    } else {
        m_clipboardNote->hide();
    }
    m_copiedToken.clear();
}

bool TokenInspector::darkPalette() const
{
    return palette().color(QPalette::Window).lightness() < 128;
}

void TokenInspector::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        applyLifeStyle();
        if (m_hasToken)
            showScopes();
    }
}
