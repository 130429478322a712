#pragma once

#include "EnvironmentSecrets.h"

#include <QWidget>

#include <functional>
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
    QPushButton *loadButton() const { return m_load; } // nullptr without addFileLoader

    // A new environment is shown: nothing typed, nothing to remove, masked again.
    void reset();
    // The value comes from elsewhere (the built-in Demo API): nothing to type or remove here.
    void setProvided(bool provided);
    // A "Load from file…" button beside the field: the file's text becomes the new value (a PEM
    // key has lines a field cannot hold). check says why a file is refused, empty to take it.
    using FileCheck = std::function<QString(const QByteArray &content)>;
    void addFileLoader(const QString &dialogObjectName, const QString &dialogTitle, const QStringList &nameFilters, FileCheck check);
    void loadFile(const QString &path);
    // What OK would write: the field's text, else a loaded file's.
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

    void chooseFile();

    EnvironmentSecrets *m_secrets;
    QString m_name;
    QString m_loaded;     // a loaded file's text, written on OK unless something is typed
    QString m_loadedFrom; // its file name, for the status
    QString m_dialogObjectName;
    QString m_dialogTitle;
    QStringList m_nameFilters;
    FileCheck m_fileCheck;
    QPushButton *m_load = nullptr;
    QLabel *m_fileMessage = nullptr;
    QWidget *m_fields = nullptr;
    bool m_removal = false;
    bool m_provided = false;
    QLineEdit *m_edit = nullptr;
    QToolButton *m_reveal = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_status = nullptr;
};
