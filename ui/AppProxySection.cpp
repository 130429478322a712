#include "AppProxySection.h"

#include "FormNote.h"
#include "NoteSlot.h"

#include "http/ProxyPolicy.h"

#include <QButtonGroup>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
// What the loopback Demo API and local mocks need: a proxy elsewhere cannot reach this machine.
const QString loopbackHosts = u"localhost, 127.0.0.1, ::1"_s;
} // namespace

AppProxySection::AppProxySection(QWidget *parent)
    : QGroupBox(tr("Proxy"), parent)
    , m_modes(new QButtonGroup(this))
    , m_system(new QRadioButton(tr("Use the &system's proxy settings")))
    , m_direct(new QRadioButton(tr("N&o proxy: connect directly")))
    , m_manual(new QRadioButton(tr("Manu&al proxy:")))
    , m_systemNote(FormNote::label(u"appSystemProxyNote"_s, FormNote::Tone::Muted))
    , m_manualForm(new QFormLayout)
    , m_url(new QLineEdit)
    , m_urlMessage(FormNote::label(u"appProxyMessage"_s, FormNote::Tone::Error))
    , m_needed(FormNote::label(u"appProxyNeeded"_s, FormNote::Tone::Muted))
    , m_username(new QLineEdit)
    , m_password(new QLineEdit)
    , m_noProxy(new QLineEdit)
{
    setObjectName(u"appProxy"_s);
    m_system->setObjectName(u"appProxySystem"_s);
    m_direct->setObjectName(u"appProxyDirect"_s);
    m_manual->setObjectName(u"appProxyManual"_s);
    m_modes->addButton(m_system, static_cast<int>(AppProxySetting::Mode::System));
    m_modes->addButton(m_direct, static_cast<int>(AppProxySetting::Mode::Direct));
    m_modes->addButton(m_manual, static_cast<int>(AppProxySetting::Mode::Manual));

    // What the system says now, for an https site: the choice is not made blind.
    const ProxyRoute systemRoute = ProxyPolicy::system({}).routeFor(QUrl(u"https://example.com"_s));
    m_systemNote->setText(systemRoute.isDirect()
                              ? tr("The system names no proxy now (on Linux: http_proxy, https_proxy, all_proxy, no_proxy); "
                                   "loopback is never proxied.")
                              : tr("The system names %1 now for https sites; loopback is never proxied.")
                                    .arg(QString::fromLatin1(systemRoute.curlProxy())));

    m_url->setObjectName(u"appProxyUrl"_s);
    m_url->setAccessibleName(tr("Proxy URL"));
    m_url->setPlaceholderText(u"http://proxy.example.com:3128"_s);
    auto *urlHint = FormNote::label(u"appProxyUrlHint"_s, FormNote::Tone::Muted);
    urlHint->setText(tr("http:// or https:// for an HTTP CONNECT proxy, socks5:// (socks5h:// resolves names at the proxy). "
                        "No credentials in the URL."));
    m_username->setObjectName(u"appProxyUsername"_s);
    m_username->setAccessibleName(tr("Proxy user name"));
    m_username->setPlaceholderText(tr("empty: the proxy asks for no credentials"));
    m_password->setObjectName(u"appProxyPassword"_s);
    m_password->setAccessibleName(tr("Proxy password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_noProxy->setObjectName(u"appNoProxy"_s);
    m_noProxy->setAccessibleName(tr("Hosts reached without the proxy"));
    m_noProxy->setPlaceholderText(tr("e.g. localhost, .internal.example.com, 10.0.0.0/8"));
    m_manualForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_manualForm->setContentsMargins(24, 0, 0, 0); // under the Manual choice it belongs to
    m_manualForm->addRow(tr("Proxy UR&L:"), FormNote::stacked(m_url, {new NoteSlot(urlHint, {m_urlMessage})}));
    m_manualForm->addRow(tr("User &name:"), m_username);
    m_manualForm->addRow(tr("Pass&word:"), m_password);
    m_manualForm->addRow(tr("No pro&xy for:"), m_noProxy);
    m_manualForm->addRow(m_needed);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_system);
    auto *systemNoteBox = new QVBoxLayout;
    systemNoteBox->setContentsMargins(24, 0, 0, 0);
    systemNoteBox->addWidget(m_systemNote);
    layout->addLayout(systemNoteBox);
    m_systemNote->setVisible(true); // a parent first: shown alone, it would be a window of its own
    layout->addWidget(m_direct);
    layout->addWidget(m_manual);
    layout->addLayout(m_manualForm);

    connect(m_modes, &QButtonGroup::idToggled, this, [this](int, bool checked) {
        if (!checked)
            return;
        // A first manual proxy leaves this machine's own servers (the Demo API) direct.
        if (m_manual->isChecked() && m_url->text().trimmed().isEmpty() && m_noProxy->text().trimmed().isEmpty())
            m_noProxy->setText(loopbackHosts);
        updateRows();
        Q_EMIT edited();
    });
    for (QLineEdit *edit : {m_url, m_username, m_password, m_noProxy}) {
        connect(edit, &QLineEdit::textChanged, this, [this] {
            check();
            Q_EMIT edited();
        });
    }
    m_system->setChecked(true);
    updateRows();
}

void AppProxySection::load(const AppProxySetting &setting)
{
    m_url->setText(setting.url.toString());
    m_username->setText(setting.username);
    m_password->clear();
    m_noProxy->setText(setting.noProxy.join(u", "_s));
    if (QAbstractButton *button = m_modes->button(static_cast<int>(setting.mode)))
        button->setChecked(true);
    updateRows();
}

AppProxySetting AppProxySection::setting() const
{
    AppProxySetting setting;
    setting.mode = static_cast<AppProxySetting::Mode>(m_modes->checkedId());
    if (setting.mode != AppProxySetting::Mode::Manual)
        return setting;
    const QString url = m_url->text().trimmed();
    setting.url = url.isEmpty() ? QUrl() : QUrl(url, QUrl::StrictMode);
    setting.username = m_username->text().trimmed();
    setting.noProxy = ProxyPolicy::splitHosts(m_noProxy->text());
    return setting;
}

QString AppProxySection::problem() const
{
    const AppProxySetting current = setting();
    if (current.mode != AppProxySetting::Mode::Manual)
        return {};
    if (current.url.isEmpty())
        return tr("A manual proxy needs its URL.");
    if (const QString why = current.problem(); !why.isEmpty())
        return tr("Proxy URL: %1").arg(why);
    if (current.needsPassword() && !m_passwordStored && m_password->text().isEmpty())
        return tr("Type the proxy's password: it goes to the system keychain.");
    return {};
}

QString AppProxySection::typedPassword() const
{
    return m_password->isEnabled() ? m_password->text() : QString();
}

void AppProxySection::setPasswordStored(bool stored)
{
    m_passwordStored = stored;
    updateRows();
}

void AppProxySection::restoreDefaults()
{
    m_system->setChecked(true);
}

void AppProxySection::updateRows()
{
    const bool manual = m_manual->isChecked();
    for (QWidget *field : {m_url->parentWidget(), static_cast<QWidget *>(m_username), static_cast<QWidget *>(m_password),
                           static_cast<QWidget *>(m_noProxy)})
        field->setEnabled(manual);
    m_password->setEnabled(manual && !m_username->text().trimmed().isEmpty());
    m_password->setPlaceholderText(m_passwordStored ? tr("stored in the keychain; type to replace")
                                                    : tr("kept in the system keychain, never in the settings file"));
    check();
}

void AppProxySection::check()
{
    m_password->setEnabled(m_manual->isChecked() && !m_username->text().trimmed().isEmpty());
    // An empty URL is only "still needed": said when OK is pressed, not while typing.
    QString why;
    if (m_manual->isChecked() && !m_url->text().trimmed().isEmpty())
        ProxyRoute::fromUrl(QUrl(m_url->text().trimmed(), QUrl::StrictMode), &why);
    FormNote::show(m_urlMessage, FormNote::Tone::Error, why, palette());
    m_url->setAccessibleDescription(why);
    // The rest of what OK waits for, said once, under the fields (the URL's error is beside it).
    FormNote::show(m_needed, FormNote::Tone::Muted, why.isEmpty() ? problem() : QString(), palette());
}
