#pragma once

#include "workspace/Environment.h"

#include <QDialog>
#include <QHash>
#include <QString>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableWidget;
class QTableWidgetItem;
class QToolButton;
class SecretStore;
struct SecretResult;

// Edits every field of one Environment. Secrets (client secret, password, secret token
// parameters) never pass through the Environment: what the user types goes to the keychain
// when OK is pressed, and the dialog closes only once the keychain has answered. Nothing here
// waits: keychain reads and writes report back through callbacks.
class EnvironmentEditor : public QDialog
{
    Q_OBJECT

public:
    EnvironmentEditor(SecretStore *secrets, const QString &workspaceId, QWidget *parent = nullptr);
    ~EnvironmentEditor() override;

    // Fills the form and starts keychain reads that show whether each secret is stored. A new
    // environment (empty id) gets an id here: its secrets need a key before the caller saves it.
    void setEnvironment(const Environment &environment);
    // What the form says now. Never holds a secret: secret parameters have empty values.
    Environment environment() const;

    // The other environments' names, for the duplicate-name check (case-insensitive).
    void setExistingNames(const QStringList &names);

    // Whether the form may be saved; the OK button is enabled exactly when this is true.
    bool isValid() const;
    // The first reason the form cannot be saved, empty when it can.
    QString firstProblem() const;
    // True from OK until the keychain has answered every write.
    bool isSaving() const { return m_saving; }
    // Whether the last OK wrote or removed a secret in the keychain (a token made with the old
    // one may no longer be what the profile would get).
    bool secretsChanged() const { return m_secretsChanged; }
    QString workspaceId() const { return m_workspaceId; }

    void accept() override;
    void reject() override;

Q_SIGNALS:
    // One line for a status bar whenever a secret's keychain status changes (a read or a write
    // answered), naming the secret: "Client secret: stored in the system keychain".
    void secretStatusChanged(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    // Where a secret stands in the keychain; what the user typed is kept apart from this.
    enum class SecretState { NotApplicable, Checking, Stored, SessionOnly, NotStored, Unavailable, Failed };
    struct SecretStatus
    {
        SecretState state = SecretState::NotApplicable;
        QString message; // the SecretStore's own words when it has something to say
    };
    // One keychain operation of a save.
    struct SaveOp
    {
        QString name;  // SecretStore name: client-secret, password, param:<name>
        QString value; // empty for a removal
        bool remove = false;
    };

    void buildUi();
    QWidget *buildConnectionTab();
    QWidget *buildCredentialsTab();
    QWidget *buildScopesTab();
    QWidget *buildHeadersTab();
    QWidget *secretRow(QLineEdit **field, QToolButton **reveal, QPushButton **remove, const QString &what);
    static QTableWidget *makeTable(const QStringList &headers, const QString &accessibleName);
    QWidget *tableButtons(QTableWidget *table, QPushButton **add, QPushButton **remove, const QString &addText,
                          const QString &removeText);

    void applyBuiltinMode();
    void updateTierNote();
    void updateGrantRows();
    void updateClientAuthHelp();
    void validate();
    void applyTones();
    void startSecretReads();
    void readSecret(const QString &name);
    void setSecretStatus(const QString &name, const SecretStatus &status);
    void refreshSecretWidgets();
    QString secretStatusText(const QString &name) const;
    QString secretLabel(const QString &name) const;
    QString paramPlaceholder(const QString &paramName) const;
    QList<SaveOp> pendingSaveOps() const;
    void onSaveAnswered(const SaveOp &op, const SecretResult &result);
    void finishSave();
    void setFormEnabled(bool enabled);
    void addTableRow(QTableWidget *table);
    void removeSelectedRows(QTableWidget *table);
    void onParamItemChanged(QTableWidgetItem *item);
    void clearTypedSecrets();
    QString keyFor(const QString &name) const;
    void chooseCertificates();
    void addCertificatesFrom(const QString &path);
    void updateTrustedSummary();

    SecretStore *m_secrets;
    QString m_workspaceId;
    Environment m_original;
    QStringList m_existingNames;
    QStringList m_loadedSecretParams; // secret parameter names at load: their entries are removed if they go
    QHash<QString, SecretStatus> m_secretStatus;
    bool m_clientSecretRemoval = false;
    bool m_passwordRemoval = false;
    int m_generation = 0;    // a new setEnvironment makes the answers of earlier reads stale
    bool m_saving = false;
    bool m_secretsChanged = false;
    int m_pendingWrites = 0;
    QStringList m_saveErrors;
    bool m_loading = false;  // set while the form is filled, so item signals do not count as edits
    QStringList m_problems;  // "Tab: what is wrong", first one shown

    QTabWidget *m_tabs = nullptr;
    QLineEdit *m_name = nullptr;
    QLabel *m_nameMessage = nullptr;
    QComboBox *m_tier = nullptr;
    QLabel *m_productionNote = nullptr;
    QLabel *m_demoNote = nullptr;
    QLineEdit *m_tokenUrl = nullptr;
    QLabel *m_tokenUrlMessage = nullptr;
    QCheckBox *m_allowInsecureHttp = nullptr;
    QLineEdit *m_apiUrl = nullptr;
    QLabel *m_apiUrlMessage = nullptr;
    QByteArray m_trusted; // PEM, as it will be saved
    QLabel *m_trustedSummary = nullptr;
    QLabel *m_trustedMessage = nullptr;
    QPushButton *m_addCertificates = nullptr;
    QPushButton *m_clearCertificates = nullptr;
    QFormLayout *m_credentialsForm = nullptr;
    QComboBox *m_grant = nullptr;
    QComboBox *m_clientAuth = nullptr;
    QLabel *m_clientAuthHelp = nullptr;
    QLineEdit *m_clientId = nullptr;
    QLineEdit *m_clientSecret = nullptr;
    QToolButton *m_revealClientSecret = nullptr;
    QPushButton *m_removeClientSecret = nullptr;
    QLabel *m_clientSecretStatus = nullptr;
    QWidget *m_clientSecretRow = nullptr;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_password = nullptr;
    QToolButton *m_revealPassword = nullptr;
    QPushButton *m_removePassword = nullptr;
    QLabel *m_passwordStatus = nullptr;
    QWidget *m_passwordRow = nullptr;
    QLineEdit *m_scopes = nullptr;
    QLabel *m_scopesMessage = nullptr;
    QTableWidget *m_params = nullptr;
    QPushButton *m_addParam = nullptr;
    QPushButton *m_removeParam = nullptr;
    QLabel *m_paramsMessage = nullptr;
    QTableWidget *m_headers = nullptr;
    QPushButton *m_addHeader = nullptr;
    QPushButton *m_removeHeader = nullptr;
    QLabel *m_headersMessage = nullptr;
    QTableWidget *m_variables = nullptr;
    QPushButton *m_addVariable = nullptr;
    QPushButton *m_removeVariable = nullptr;
    QLabel *m_variablesMessage = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_saveStatus = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};
