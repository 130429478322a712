#pragma once

#include <QDialog>

class QSpinBox;

// Environment ▸ Preferences… (Ctrl+,): the app's preferences, read from and written to
// Preferences when accepted. Today one: the maximum response size the composer keeps.
class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PreferencesDialog(QWidget *parent = nullptr);

    void accept() override;

private:
    void restoreDefaults();

    QSpinBox *m_maxResponse;
};
