#pragma once

#include "EnvironmentSecrets.h"

#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;

// One secret of an environment in the editor: a masked field for a new value, Show, "Remove
// stored secret", and a note saying where the secret is (stored in the keychain, typed and saved
// on OK, removed on OK, …). A stored value is never loaded into the field: empty means "keep
// what is stored". Object names derive from the stem: clientSecret, revealClientSecret,
// removeClientSecret, clientSecretStatus.
class SecretField : public QWidget
{
    Q_OBJECT

public:
    SecretField(EnvironmentSecrets *secrets, const QString &secretName, const QString &what, const QString &objectStem,
                QWidget *parent = nullptr);

    QString secretName() const { return m_name; }
    QLineEdit *edit() const { return m_edit; }
    QToolButton *revealButton() const { return m_reveal; }
    QPushButton *removeButton() const { return m_remove; }
    QLabel *statusLabel() const { return m_status; }

    // A new environment is shown: nothing typed, nothing to remove, masked again.
    void reset();
    // The value comes from elsewhere (the built-in Demo API): nothing to type or remove here.
    void setProvided(bool provided);
    QString typed() const;
    bool removalRequested() const { return m_removal; }
    // What a save must do for this secret: write what was typed, remove, or nothing.
    std::optional<EnvironmentSecrets::Op> saveOp() const;
    // The status note's text: what OK will do, else where the secret stands in the keychain.
    QString statusText() const;
    void refresh();

Q_SIGNALS:
    // The user typed or asked for the stored value's removal.
    void edited();

private:
    void onSaved(const EnvironmentSecrets::Op &op);

    EnvironmentSecrets *m_secrets;
    QString m_name;
    bool m_removal = false;
    bool m_provided = false;
    QLineEdit *m_edit = nullptr;
    QToolButton *m_reveal = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_status = nullptr;
};
