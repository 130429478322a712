#pragma once

#include "templates/ApiTemplate.h"
#include "templates/TemplateApplication.h"

#include <QDialog>
#include <QList>
#include <QPair>

#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

// Asks for what an API template needs to become an environment: the tier (one the seed documents,
// or any when it names none), the kind of token when the API issues several, and the values its
// documentation does not give (a host, an account id, the client id), each checked as it is
// typed. The tier's note (the Cymbio typo fixed) and the template's notes are shown. OK only when
// the environment can be made; Cancel makes nothing.
class TemplateValuesDialog : public QDialog
{
    Q_OBJECT

public:
    // preferredTier: selected when the template documents it.
    TemplateValuesDialog(const ApiTemplate &apiTemplate, const QString &environmentName, Tier preferredTier, QWidget *parent = nullptr);

    // The environment made of the values; set while OK is enabled.
    const std::optional<Environment> &environment() const { return m_environment; }
    QList<SavedRequest> requests() const;

private:
    void update();
    TemplateChoice choice() const;

    ApiTemplate m_template;
    QString m_name;
    QComboBox *m_tier;
    QComboBox *m_kind = nullptr;
    QList<QPair<ApiTemplate::Ask, QLineEdit *>> m_values;
    QLabel *m_notes;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    std::optional<Environment> m_environment;
};
