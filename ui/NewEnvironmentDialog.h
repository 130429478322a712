#pragma once

#include "workspace/Environment.h"
#include "workspace/EnvironmentTemplate.h"

#include <QDialog>
#include <QStringList>

class QButtonGroup;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;

// Asks what a new environment is called, its tier, and (for a new one) what it starts from:
// an empty profile, the Demo template or an API template, chosen, never implied. For a duplicate it asks the name
// and tier of the copy. Cancel creates nothing.
class NewEnvironmentDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Purpose { Create, Duplicate };

    // existingNames: taken names (case-insensitive); suggestedName: prefilled, unique.
    NewEnvironmentDialog(Purpose purpose, const QString &suggestedName, Tier tier, const QStringList &existingNames,
                         bool demoAvailable, QWidget *parent = nullptr);

    QString name() const;
    Tier tier() const;
    EnvironmentTemplate::Kind startFrom() const;
    // The API template chosen (TemplateCatalog id) when startFrom() is Kind::Api.
    QString templateId() const;

private:
    void validate();

    QStringList m_existingNames;
    QLineEdit *m_name;
    QComboBox *m_tier;
    QRadioButton *m_empty = nullptr;
    QRadioButton *m_demo = nullptr;
    QRadioButton *m_api = nullptr;
    QComboBox *m_templates = nullptr;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};
