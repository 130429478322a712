#pragma once

#include "EnvironmentPage.h"

class EnvironmentTable;
class QLabel;

// The Headers & variables page: context headers sent with every API request, and the variables
// their {{placeholders}} (and requests) resolve from.
class EnvironmentHeadersPage : public EnvironmentPage
{
    Q_OBJECT

public:
    explicit EnvironmentHeadersPage(QWidget *parent = nullptr);

    void load(const Environment &environment) override;
    void store(Environment &environment) const override;
    void check(const Environment &current, EnvironmentProblems &problems) override;
    QList<QWidget *> focusOrder() const override;

private:
    EnvironmentTable *m_headers = nullptr;
    QLabel *m_headersMessage = nullptr;
    EnvironmentTable *m_variables = nullptr;
    QLabel *m_variablesMessage = nullptr;
};
