#include "http/TokenScopes.h"
#include "RequestScopesEditor.h"
#include "http/TokenScopes.h"

#include "http/TokenScopes.h"
#include <QCheckBox>
#include "http/TokenScopes.h"
#include <QComboBox>
#include "http/TokenScopes.h"
#include <QDateTime>
#include "http/TokenScopes.h"
#include <QFormLayout>
#include "http/TokenScopes.h"
#include <QLabel>
#include "http/TokenScopes.h"
#include <QLineEdit>
#include "http/TokenScopes.h"
#include <QVBoxLayout>
#include "http/TokenScopes.h"

#include "http/TokenScopes.h"
RequestScopesEditor::RequestScopesEditor(QWidget *parent)
#include "http/TokenScopes.h"
    : QWidget(parent)
#include "http/TokenScopes.h"
    , m_scopes(new QLineEdit(this))
#include "http/TokenScopes.h"
    , m_none(new QCheckBox(tr("Ask for a token with no scope at all"), this))
#include "http/TokenScopes.h"
    , m_match(new QComboBox(this))
#include "http/TokenScopes.h"
    , m_explanation(new QLabel(this))
#include "http/TokenScopes.h"
{
#include "http/TokenScopes.h"
    m_scopes->setObjectName(QStringLiteral("requestScopes"));
#include "http/TokenScopes.h"
    m_scopes->setAccessibleName(tr("Scopes this request needs"));
#include "http/TokenScopes.h"
    m_scopes->setPlaceholderText(tr("empty: the environment's scopes"));
#include "http/TokenScopes.h"
    m_none->setObjectName(QStringLiteral("requestNoScope"));
#include "http/TokenScopes.h"
    m_none->setToolTip(tr("The token request carries no scope parameter: the server decides what the token may do."));
#include "http/TokenScopes.h"
    m_match->setObjectName(QStringLiteral("requestScopeMatch"));
#include "http/TokenScopes.h"
    m_match->setAccessibleName(tr("Which token may serve this request"));
#include "http/TokenScopes.h"
    m_match->addItem(tr("A token with exactly these scopes"), int(ScopeMatch::Exact));
#include "http/TokenScopes.h"
    m_match->addItem(tr("Reuse any token that has these scopes"), int(ScopeMatch::AtLeast));
#include "http/TokenScopes.h"
    m_match->setItemData(0, tr("A token asked for more scopes is not reused: a new one is fetched. For negative tests."), Qt::ToolTipRole);
#include "http/TokenScopes.h"
    m_match->setItemData(1, tr("The current token serves the request when it was asked for these scopes among others."), Qt::ToolTipRole);
#include "http/TokenScopes.h"
    m_explanation->setObjectName(QStringLiteral("requestScopesExplanation"));
#include "http/TokenScopes.h"
    m_explanation->setWordWrap(true);
#include "http/TokenScopes.h"

#include "http/TokenScopes.h"
    auto *form = new QFormLayout;
#include "http/TokenScopes.h"
    form->addRow(tr("Scopes:"), m_scopes);
#include "http/TokenScopes.h"
    form->addRow(QString(), m_none);
#include "http/TokenScopes.h"
    form->addRow(tr("Token:"), m_match);
#include "http/TokenScopes.h"
    auto *layout = new QVBoxLayout(this);
#include "http/TokenScopes.h"
    layout->addLayout(form);
#include "http/TokenScopes.h"
    layout->addWidget(m_explanation);
#include "http/TokenScopes.h"
    layout->addStretch();
#include "http/TokenScopes.h"

#include "http/TokenScopes.h"
    const auto edited = [this] {
#include "http/TokenScopes.h"
        updateState();
#include "http/TokenScopes.h"
        if (!m_loading)
#include "http/TokenScopes.h"
            Q_EMIT changed();
#include "http/TokenScopes.h"
    };
#include "http/TokenScopes.h"
    connect(m_scopes, &QLineEdit::textChanged, this, edited);
#include "http/TokenScopes.h"
    connect(m_none, &QCheckBox::toggled, this, edited);
#include "http/TokenScopes.h"
    connect(m_match, &QComboBox::currentIndexChanged, this, edited);
#include "http/TokenScopes.h"
    updateState();
#include "http/TokenScopes.h"
}
#include "http/TokenScopes.h"

#include "http/TokenScopes.h"
RequestScopesEditor::~RequestScopesEditor() = default;
#include "http/TokenScopes.h"

#include "http/TokenScopes.h"
RequestScopesEditor::Choice RequestScopesEditor::current() const
#include "http/TokenScopes.h"
{
#include "http/TokenScopes.h"
    return {m_scopes->text(), m_none->isChecked(), ScopeMatch(m_match->currentData().toInt())};
#include "http/TokenScopes.h"
}
#include "http/TokenScopes.h"

#include "http/TokenScopes.h"
void RequestScopesEditor::show(const Choice &choice)
#include "http/TokenScopes.h"
{
#include "http/TokenScopes.h"
    m_loading = true;
#include "http/TokenScopes.h"
    m_scopes->setText(choice.text);
#include "http/TokenScopes.h"
    m_none->setChecked(choice.none);
#include "http/TokenScopes.h"
    m_match->setCurrentIndex(m_match->findData(int(choice.match)));
#include "http/TokenScopes.h"
    m_loading = false;
#include "http/TokenScopes.h"
    updateState();
#include "http/TokenScopes.h"
}
#include "http/TokenScopes.h"

#include "http/TokenScopes.h"
void RequestScopesEditor::setEnvironment(const Environment &environment)
#include "http/TokenScopes.h"
{
#include "http/TokenScopes.h"
    if (environment.id != m_environmentId) {
#include "http/TokenScopes.h"
        // The first environment takes what is shown (a draft loaded before it was set); a switch
#include "http/TokenScopes.h"
        // puts it aside and shows the other environment's own choice.
#include "http/TokenScopes.h"
        if (!m_environmentId.isEmpty()) {
#include "http/TokenScopes.h"
            m_byEnvironment.insert(m_environmentId, current());
#include "http/TokenScopes.h"
            show(m_byEnvironment.take(environment.id));
#include "http/TokenScopes.h"
        }
#include "http/TokenScopes.h"
        m_environmentId = environment.id;
#include "http/TokenScopes.h"
    }
#include "http/TokenScopes.h"
    m_environmentScopes = TokenScopes::normalized(environment.scopes);
#include "http/TokenScopes.h"
    m_scopes->setPlaceholderText(m_environmentScopes.isEmpty() ? tr("empty: the environment's scopes (it names none)")
#include "http/TokenScopes.h"
                                                               : tr("empty: the environment's, %1").arg(m_environmentScopes.join(QLatin1Char(' '))));
#include "http/TokenScopes.h"
    updateState();
#include "http/TokenScopes.h"
}
#include "http/TokenScopes.h"

#include "http/TokenScopes.h"
void RequestScopesEditor::apply(RequestDraft *draft) const
#include "http/TokenScopes.h"
{
#include "http/TokenScopes.h"
    const Choice choice = current();
#include "http/TokenScopes.h"
    draft->noScopes = choice.none;
#include "http/TokenScopes.h"
    draft->scopes = choice.none ? QStringList() : TokenScopes::normalized({choice.text});
#include "http/TokenScopes.h"
    draft->scopeMatch = choice.match;
#include "http/TokenScopes.h"
}
#include "http/TokenScopes.h"

#include "http/TokenScopes.h"
void RequestScopesEditor::load(const RequestDraft &draft)
#include "http/TokenScopes.h"
{
#include "http/TokenScopes.h"
    show({draft.noScopes ? QString() : TokenScopes::normalized(draft.scopes).join(QLatin1Char(' ')), draft.noScopes, draft.scopeMatch});
#include "http/TokenScopes.h"
}
#include "http/TokenScopes.h"

#include "http/TokenScopes.h"
void RequestScopesEditor::updateState()
#include "http/TokenScopes.h"
{
#include "http/TokenScopes.h"
    const Choice choice = current();
#include "http/TokenScopes.h"
    m_scopes->setEnabled(!choice.none);
#include "http/TokenScopes.h"
    const bool named = choice.none || !TokenScopes::normalized({choice.text}).isEmpty();
#include "http/TokenScopes.h"
    // The environment's scopes are always "at least": they are what the Authorize dialog asks for.
#include "http/TokenScopes.h"
    m_match->setEnabled(named);
#include "http/TokenScopes.h"
    if (!named) {
#include "http/TokenScopes.h"
        m_explanation->setText(tr("No scopes named: the token is asked for the environment's scopes, and the current token is "
#include "http/TokenScopes.h"
                                  "reused when it has them (whatever else it has)."));
#include "http/TokenScopes.h"
    } else if (choice.none) {
#include "http/TokenScopes.h"
        m_explanation->setText(choice.match == ScopeMatch::Exact
#include "http/TokenScopes.h"
                                   ? tr("The token is asked for no scope; a token asked for any scope is not reused.")
#include "http/TokenScopes.h"
                                   : tr("Any current token serves this request; without one, a token is asked for no scope."));
#include "http/TokenScopes.h"
    } else {
#include "http/TokenScopes.h"
        m_explanation->setText(choice.match == ScopeMatch::Exact
#include "http/TokenScopes.h"
                                   ? tr("The token is asked for exactly these scopes. A current token asked for more (or fewer) is "
#include "http/TokenScopes.h"
                                        "not reused, so the API answers as it would to a client with only these.")
#include "http/TokenScopes.h"
                                   : tr("The current token is reused when it was asked for these scopes, with others or not; "
#include "http/TokenScopes.h"
                                        "otherwise a token is asked for exactly these."));
#include "http/TokenScopes.h"
    }
#include "http/TokenScopes.h"
}
#include "http/TokenScopes.h"

#include "http/TokenScopes.h"
QString RequestScopesEditor::previewLine(const TokenScopes &scopes, const std::optional<AccessToken> &current, const QDateTime &now)
#include "http/TokenScopes.h"
{
#include "http/TokenScopes.h"
    const QString asked = tr("Token scopes: %1").arg(scopes.describe());
#include "http/TokenScopes.h"
    if (!current)
#include "http/TokenScopes.h"
        return tr("%1 — none held, one is fetched when sending").arg(asked);
#include "http/TokenScopes.h"
    const QString held = current->requestedScopes.isEmpty() ? tr("no scope") : current->requestedScopes.join(QLatin1Char(' '));
#include "http/TokenScopes.h"
    if (current->needsRenewal(now))
#include "http/TokenScopes.h"
        return tr("%1 — the current token is about to expire; a new one is fetched when sending").arg(asked);
#include "http/TokenScopes.h"
    if (!scopes.accepts(*current))
#include "http/TokenScopes.h"
        return tr("%1 — the current token (asked for %2) is not reused; a new one is fetched when sending").arg(asked, held);
#include "http/TokenScopes.h"
    return tr("%1 — the current token (asked for %2) is reused").arg(asked, held);
#include "http/TokenScopes.h"
}
