#pragma once

#include <QDialog>

class AppProxySection;
class QDialogButtonBox;
class QLabel;
class QSpinBox;
class SecretStore;

// Environment ▸ Preferences… (Ctrl+,): the app's preferences, read from and written to
// Preferences when accepted — the maximum response size the composer keeps, and the app's proxy
// (its password to the keychain). OK closes once the keychain has answered, and the proxy takes
// effect for the next request (AppProxyActivation), without a restart.
class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    // secrets: where the proxy's password is kept (none: a proxy password cannot be saved).
    explicit PreferencesDialog(SecretStore *secrets, QWidget *parent = nullptr);

    void accept() override;
    void reject() override;
    bool isSaving() const { return m_saving; }

private:
    void restoreDefaults();
    void updateOk();
    void activateProxy();
    void finishSaving(const QString &error);

    SecretStore *m_secrets;
    QSpinBox *m_maxResponse;
    AppProxySection *m_proxy;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    bool m_saving = false;
};
