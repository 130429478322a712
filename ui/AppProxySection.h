#pragma once

#include "settings/AppProxySetting.h"

#include <QGroupBox>

class QButtonGroup;
class QFormLayout;
class QLabel;
class QLineEdit;
class QRadioButton;

// Preferences' Proxy section: the app's proxy — the system's settings (the default), none, or
// one of the user's (URL, user name, password, hosts reached without it), checked by the rules
// the CLI's --proxy and --no-proxy use. The password is only typed here: the dialog writes it to
// the keychain; what the keychain holds is never loaded into the field.
class AppProxySection : public QGroupBox
{
    Q_OBJECT

public:
    explicit AppProxySection(QWidget *parent = nullptr);

    void load(const AppProxySetting &setting);
    // What the section says now (the no-proxy list split as the CLI splits --no-proxy).
    AppProxySetting setting() const;
    // Why it cannot be saved (shown under the fields too); empty when it can.
    QString problem() const;
    QString typedPassword() const;
    // Whether the keychain holds a password for the proxy (the field's placeholder says so).
    void setPasswordStored(bool stored);
    void restoreDefaults();

Q_SIGNALS:
    void edited();

private:
    void updateRows();
    void check();

    QButtonGroup *m_modes;
    QRadioButton *m_system;
    QRadioButton *m_direct;
    QRadioButton *m_manual;
    QLabel *m_systemNote;
    QFormLayout *m_manualForm;
    QLineEdit *m_url;
    QLabel *m_urlMessage;
    QLabel *m_needed; // what a manual proxy still needs before OK
    QLineEdit *m_username;
    QLineEdit *m_password;
    QLineEdit *m_noProxy;
    bool m_passwordStored = false;
};
