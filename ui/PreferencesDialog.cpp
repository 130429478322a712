#include "PreferencesDialog.h"

#include "AppProxySection.h"
#include "FormNote.h"

#include "http/ResponseLimit.h"
#include "secrets/SecretStore.h"
#include "settings/AppProxyActivation.h"
#include "settings/Preferences.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 megabyte = qint64(1024) * 1024;
}

PreferencesDialog::PreferencesDialog(SecretStore *secrets, QWidget *parent)
    : QDialog(parent)
    , m_secrets(secrets)
    , m_maxResponse(new QSpinBox(this))
    , m_proxy(new AppProxySection(this))
    , m_status(FormNote::label(u"preferencesStatus"_s, FormNote::Tone::Error))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this))
{
    setWindowTitle(tr("Preferences"));
    setObjectName(u"preferencesDialog"_s);
    m_maxResponse->setObjectName(u"maxResponseSize"_s);
    m_maxResponse->setRange(1, int(ResponseLimit::maxBodyBytes / megabyte));
    m_maxResponse->setSuffix(tr(" MB"));
    m_maxResponse->setAccessibleName(tr("Maximum response size in megabytes"));
    // A limit set finer than a megabyte elsewhere shows rounded up, never as less than it is.
    m_maxResponse->setValue(int((Preferences::maxResponseBytes() + megabyte - 1) / megabyte));

    auto *explanation = new QLabel(tr("A response whose body, once decompressed, is larger than this is cut there and its transfer "
                                      "stopped, so an endless or compressed-bomb answer cannot exhaust memory. "
                                      "Applies to the next request sent. Default: %1.")
                                       .arg(ResponseLimit::format(ResponseLimit::defaultBodyBytes)),
                                   this);
    explanation->setWordWrap(true);
    auto *responses = new QGroupBox(tr("Responses"), this);
    auto *form = new QFormLayout(responses);
    form->addRow(tr("&Maximum response size:"), m_maxResponse);
    form->addRow(explanation);

    auto *proxyNote = FormNote::label(u"appProxyScope"_s, FormNote::Tone::Muted);
    proxyNote->setText(tr("Token and API requests, discovery and every other request of an environment whose Network page says "
                          "\"As the app's settings\" take this proxy, from the next request on. An environment's own proxy "
                          "wins over it."));
    m_proxy->load(Preferences::proxy());
    if (m_secrets && Preferences::proxy().needsPassword()) {
        // Whether one is stored, for the field's placeholder; the value is not kept.
        m_secrets->read(AppProxySetting::passwordKey(), [dialog = QPointer<PreferencesDialog>(this)](const SecretResult &result) {
            if (dialog)
                dialog->m_proxy->setPasswordStored(result.status == SecretResult::Status::Found);
        });
    }

    connect(m_buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, &PreferencesDialog::restoreDefaults);
    connect(m_proxy, &AppProxySection::edited, this, &PreferencesDialog::updateOk);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(responses);
    layout->addWidget(m_proxy);
    layout->addWidget(proxyNote);
    proxyNote->setVisible(true); // once it has a parent
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    // The size hint's height leaves room for a URL's error of three lines under its field.
    resize(560, sizeHint().height());
    updateOk();
}

void PreferencesDialog::updateOk()
{
    // The proxy section says itself what it still needs.
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_saving && m_proxy->problem().isEmpty());
    if (!m_saving)
        FormNote::show(m_status, FormNote::Tone::Error, {}, palette());
}

void PreferencesDialog::accept()
{
    if (m_saving || !m_proxy->problem().isEmpty())
        return;
    Preferences::setMaxResponseBytes(m_maxResponse->value() * megabyte);
    const AppProxySetting setting = m_proxy->setting();
    Preferences::setProxy(setting);

    // The password goes to the keychain only; a proxy without a user name keeps none.
    const QString typed = m_proxy->typedPassword();
    const bool write = setting.needsPassword() && !typed.isEmpty();
    const bool remove = setting.mode == AppProxySetting::Mode::Manual && setting.username.isEmpty();
    if ((!write && !remove) || !m_secrets) {
        if (write && !m_secrets)
            return finishSaving(tr("No keychain is connected: the proxy password cannot be saved."));
        activateProxy();
        return;
    }
    m_saving = true;
    updateOk();
    FormNote::show(m_status, FormNote::Tone::Plain, tr("Saving the proxy password to the keychain…"), palette());
    const auto answered = [dialog = QPointer<PreferencesDialog>(this)](const SecretResult &result) {
        if (!dialog)
            return;
        if (!result.ok())
            return dialog->finishSaving(tr("The proxy password was not saved: %1").arg(result.message));
        dialog->activateProxy();
    };
    if (write)
        m_secrets->write(AppProxySetting::passwordKey(), typed, answered);
    else
        m_secrets->remove(AppProxySetting::passwordKey(), answered);
}

void PreferencesDialog::activateProxy()
{
    m_saving = true;
    updateOk();
    // In effect once the keychain gave the password back: the next request takes it.
    AppProxyActivation::activate(m_secrets, m_proxy->setting(), this, [this](const QString &) { finishSaving({}); });
}

void PreferencesDialog::finishSaving(const QString &error)
{
    m_saving = false;
    if (!error.isEmpty()) {
        updateOk();
        FormNote::show(m_status, FormNote::Tone::Error, error, palette());
        return;
    }
    QDialog::accept();
}

void PreferencesDialog::reject()
{
    if (m_saving)
        return; // the keychain is answering: closing now would leave the proxy half-applied
    QDialog::reject();
}

void PreferencesDialog::restoreDefaults()
{
    m_maxResponse->setValue(int(ResponseLimit::defaultBodyBytes / megabyte));
    m_proxy->restoreDefaults();
}
