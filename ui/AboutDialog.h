#pragma once

#include "util/ComponentVersions.h"

#include <QDialog>

class QFormLayout;
class QLabel;
class SecretStore;

// Help ▸ About Tokenbench: the version, the versions of what it runs on (Qt loaded and built
// against, QtKeychain, the libcurl loaded at run time) and where secrets are kept — the system
// keychain, or this session's memory when none answered — with a button that copies all of it
// as text for a bug report.
class AboutDialog : public QDialog
{
    Q_OBJECT

public:
    AboutDialog(const ComponentVersions &versions, SecretStore *secrets, QWidget *parent = nullptr);

    // What "Copy Versions" puts on the clipboard: one "Name: value" line each.
    QString versionsText() const;

private:
    QLabel *addRow(const QString &label, const QString &objectName, const QString &value);
    void showKeychain();

    SecretStore *m_secrets;
    QFormLayout *m_form;
    QLabel *m_keychain = nullptr;
};
