#include "TemplateValuesDialog.h"

#include "TierBanner.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

TemplateValuesDialog::TemplateValuesDialog(const ApiTemplate &apiTemplate, const QString &environmentName, Tier preferredTier, QWidget *parent)
    : QDialog(parent)
    , m_template(apiTemplate)
    , m_name(environmentName)
{
    setObjectName(u"templateValuesDialog"_s);
    setWindowTitle(tr("New Environment from %1").arg(apiTemplate.title));

    auto *summary = new QLabel(apiTemplate.summary);
    summary->setTextFormat(Qt::PlainText);
    summary->setWordWrap(true);

    auto *form = new QFormLayout;
    m_tier = new QComboBox;
    m_tier->setObjectName(u"templateTier"_s);
    m_tier->setAccessibleName(tr("Tier"));
    QList<Tier> tiers;
    for (const ApiTemplate::TierVariant &variant : apiTemplate.tiers) {
        if (variant.tier)
            tiers.append(*variant.tier);
        else
            tiers = {Tier::Sandbox, Tier::Staging, Tier::Production, Tier::Custom}; // the seed names none: the user's choice
    }
    for (const Tier tier : std::as_const(tiers))
        m_tier->addItem(TierBanner::tierLabel(tier), static_cast<int>(tier));
    const int preferred = m_tier->findData(static_cast<int>(preferredTier));
    const int fallback = m_tier->findData(static_cast<int>(TemplateApplication::defaultTier(apiTemplate)));
    m_tier->setCurrentIndex(preferred >= 0 ? preferred : std::max(fallback, 0));
    form->addRow(tr("&Tier:"), m_tier);

    if (!apiTemplate.kinds.isEmpty()) {
        m_kind = new QComboBox;
        m_kind->setObjectName(u"templateKind"_s);
        m_kind->setAccessibleName(tr("Kind of token"));
        for (const ApiTemplate::Kind &kind : apiTemplate.kinds) {
            m_kind->addItem(kind.title, kind.id);
            m_kind->setItemData(m_kind->count() - 1, kind.description, Qt::ToolTipRole);
        }
        form->addRow(tr("&Kind of token:"), m_kind);
        connect(m_kind, &QComboBox::currentIndexChanged, this, &TemplateValuesDialog::update);
    }
    for (const ApiTemplate::Ask &ask : apiTemplate.asks) {
        auto *edit = new QLineEdit;
        edit->setObjectName(u"ask_"_s + ask.name);
        edit->setAccessibleName(ask.label);
        edit->setToolTip(ask.description);
        edit->setPlaceholderText(ask.required ? tr("required") : tr("optional"));
        form->addRow(ask.label + u':', edit);
        auto *help = new QLabel(ask.description);
        help->setTextFormat(Qt::PlainText);
        help->setWordWrap(true);
        help->setEnabled(false);
        form->addRow(QString(), help);
        m_values.append({ask, edit});
        connect(edit, &QLineEdit::textChanged, this, &TemplateValuesDialog::update);
    }
    connect(m_tier, &QComboBox::currentIndexChanged, this, &TemplateValuesDialog::update);

    m_notes = new QLabel;
    m_notes->setObjectName(u"templateNotes"_s);
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->setWordWrap(true);
    m_problem = new QLabel;
    m_problem->setObjectName(u"templateProblem"_s);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Continue…"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(summary);
    layout->addLayout(form);
    layout->addWidget(m_notes);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    update();
}

TemplateChoice TemplateValuesDialog::choice() const
{
    TemplateChoice out;
    out.environmentName = m_name;
    out.tier = static_cast<Tier>(m_tier->currentData().toInt());
    if (m_kind)
        out.kind = m_kind->currentData().toString();
    for (const auto &[ask, edit] : m_values) {
        if (!edit->text().trimmed().isEmpty())
            out.values.append({ask.name, edit->text().trimmed()});
    }
    return out;
}

void TemplateValuesDialog::update()
{
    const TemplateChoice chosen = choice();
    m_notes->setText(TemplateApplication::notes(m_template, *chosen.tier).join(u"\n\n"_s));
    QString problem;
    const QList<ApiTemplate::Ask> missing = TemplateApplication::missingAsks(m_template, chosen);
    if (!missing.isEmpty()) {
        QStringList labels;
        for (const ApiTemplate::Ask &ask : missing)
            labels.append(ask.label);
        problem = tr("Still needed: %1.").arg(labels.join(u", "_s));
        m_environment.reset();
    } else {
        QString error;
        m_environment = TemplateApplication::environment(m_template, chosen, &error);
        if (!m_environment)
            problem = error;
    }
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_environment.has_value());
}

QList<SavedRequest> TemplateValuesDialog::requests() const
{
    return TemplateApplication::requests(m_template);
}
