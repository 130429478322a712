#include "NewEnvironmentDialog.h"

#include "TierBanner.h"
#include "templates/TemplateCatalog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

NewEnvironmentDialog::NewEnvironmentDialog(Purpose purpose, const QString &suggestedName, Tier tier, const QStringList &existingNames,
                                           bool demoAvailable, QWidget *parent)
    : QDialog(parent)
    , m_existingNames(existingNames)
{
    setObjectName(purpose == Purpose::Create ? u"newEnvironmentDialog"_s : u"duplicateEnvironmentDialog"_s);
    setWindowTitle(purpose == Purpose::Create ? tr("New Environment") : tr("Duplicate Environment"));

    m_name = new QLineEdit(suggestedName);
    m_name->setObjectName(u"newEnvironmentName"_s);
    m_name->setAccessibleName(tr("Environment name"));
    m_name->selectAll();
    m_tier = new QComboBox;
    m_tier->setObjectName(u"newEnvironmentTier"_s);
    m_tier->setAccessibleName(tr("Tier"));
    for (const Tier each : {Tier::Sandbox, Tier::Staging, Tier::Production, Tier::Custom})
        m_tier->addItem(TierBanner::tierLabel(each), static_cast<int>(each));
    m_tier->setCurrentIndex(m_tier->findData(static_cast<int>(tier)));

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Tier:"), m_tier);
    if (purpose == Purpose::Create) {
        m_empty = new QRadioButton(EnvironmentTemplate::label(EnvironmentTemplate::Kind::Empty));
        m_empty->setObjectName(u"startEmpty"_s);
        m_demo = new QRadioButton(EnvironmentTemplate::label(EnvironmentTemplate::Kind::Demo));
        m_demo->setObjectName(u"startFromDemo"_s);
        m_demo->setEnabled(demoAvailable);
        if (!demoAvailable)
            m_demo->setToolTip(tr("The Demo API is not running in this session."));
        m_api = new QRadioButton(EnvironmentTemplate::label(EnvironmentTemplate::Kind::Api));
        m_api->setObjectName(u"startFromTemplate"_s);
        m_templates = new QComboBox;
        m_templates->setObjectName(u"templateChoice"_s);
        m_templates->setAccessibleName(tr("API template"));
        for (const ApiTemplate &each : TemplateCatalog::builtIn().templates()) {
            m_templates->addItem(each.seed.isEmpty() ? each.title : tr("%1 (seed %2)").arg(each.title, each.seed), each.id);
            m_templates->setItemData(m_templates->count() - 1, each.summary, Qt::ToolTipRole);
        }
        m_templates->setEnabled(false);
        connect(m_api, &QRadioButton::toggled, m_templates, &QWidget::setEnabled);
        // Choosing a template is choosing to start from it.
        connect(m_templates, &QComboBox::activated, m_api, [this] { m_api->setChecked(true); });
        m_empty->setChecked(true);
        auto *choices = new QVBoxLayout;
        choices->addWidget(m_empty);
        choices->addWidget(m_demo);
        choices->addWidget(m_api);
        choices->addWidget(m_templates);
        form->addRow(tr("Start from:"), choices);
    } else {
        auto *note = new QLabel(tr("Secrets are not copied: store this copy's secret when you authorize it."));
        note->setWordWrap(true);
        form->addRow(note);
    }
    m_problem = new QLabel;
    m_problem->setObjectName(u"newEnvironmentProblem"_s);
    m_problem->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(purpose == Purpose::Create ? tr("Continue…") : tr("Duplicate"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &NewEnvironmentDialog::validate);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    validate();
}

QString NewEnvironmentDialog::name() const
{
    return m_name->text().trimmed();
}

Tier NewEnvironmentDialog::tier() const
{
    return static_cast<Tier>(m_tier->currentData().toInt());
}

EnvironmentTemplate::Kind NewEnvironmentDialog::startFrom() const
{
    if (m_api && m_api->isChecked())
        return EnvironmentTemplate::Kind::Api;
    return m_demo && m_demo->isChecked() ? EnvironmentTemplate::Kind::Demo : EnvironmentTemplate::Kind::Empty;
}

QString NewEnvironmentDialog::templateId() const
{
    return m_templates ? m_templates->currentData().toString() : QString();
}

void NewEnvironmentDialog::validate()
{
    QString problem;
    if (name().isEmpty())
        problem = tr("Give the environment a name.");
    else if (m_existingNames.contains(name(), Qt::CaseInsensitive))
        problem = tr("Another environment is named \"%1\".").arg(name());
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}
