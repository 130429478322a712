#pragma once

#include "EnvironmentPage.h"

class EnvironmentTable;
class QLabel;
class QTableWidgetItem;

// The Scopes & parameters page: the default scopes and the extra token parameters, whose secret
// values go to the keychain (typed into a masked cell, never into the profile).
class EnvironmentScopesPage : public EnvironmentPage
{
    Q_OBJECT

public:
    explicit EnvironmentScopesPage(EnvironmentSecrets *secrets, QWidget *parent = nullptr);

    void load(const Environment &environment) override;
    void store(Environment &environment) const override;
    void check(const Environment &current, EnvironmentProblems &problems) override;
    QList<QWidget *> focusOrder() const override;
    QStringList secretNames() const override;
    QList<EnvironmentSecrets::Op> secretOps(const Environment &current) const override;
    void clearTypedSecrets() override;
    void refreshSecrets() override;

private:
    QString paramPlaceholder(const QString &paramName) const;
    void onParamItemChanged(QTableWidgetItem *item);
    void onSaved(const EnvironmentSecrets::Op &op);

    EnvironmentSecrets *m_secrets;
    bool m_loading = false;
    QStringList m_loadedSecretParams; // secret parameter names at load: their entries are removed if they go
    QLineEdit *m_scopes = nullptr;
    QLabel *m_scopesMessage = nullptr;
    EnvironmentTable *m_params = nullptr;
    QLabel *m_paramsMessage = nullptr;
};
