#include "RequestScopesEditor.h"

#include "EnvironmentScopeCatalog.h"
#include "ScopePicker.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

RequestScopesEditor::RequestScopesEditor(QWidget *parent)
    : QWidget(parent)
    , m_scopes(new ScopePicker(this))
    , m_none(new QCheckBox(tr("Ask for a token with no scope at all"), this))
    , m_match(new QComboBox(this))
    , m_explanation(new QLabel(this))
{
    m_scopes->setObjectName(QStringLiteral("requestScopes"));
    m_scopes->setAccessibleName(tr("Scopes this request needs"));
    m_none->setObjectName(QStringLiteral("requestNoScope"));
    m_none->setToolTip(tr("The token request carries no scope parameter: the server decides what the token may do."));
    m_match->setObjectName(QStringLiteral("requestScopeMatch"));
    m_match->setAccessibleName(tr("Which token may serve this request"));
    m_match->addItem(tr("A token with exactly these scopes"), int(ScopeMatch::Exact));
    m_match->addItem(tr("Reuse any token that has these scopes"), int(ScopeMatch::AtLeast));
    m_match->setItemData(0, tr("A token asked for more scopes is not reused: a new one is fetched. For negative tests."), Qt::ToolTipRole);
    m_match->setItemData(1, tr("The current token serves the request when it was asked for these scopes among others."), Qt::ToolTipRole);
    m_explanation->setObjectName(QStringLiteral("requestScopesExplanation"));
    m_explanation->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(QString(), m_none);
    form->addRow(tr("Token:"), m_match);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_scopes, 1);
    layout->addLayout(form);
    layout->addWidget(m_explanation);

    const auto edited = [this] {
        updateState();
        if (!m_loading)
            Q_EMIT changed();
    };
    connect(m_scopes, &ScopePicker::selectionChanged, this, edited);
    connect(m_none, &QCheckBox::toggled, this, edited);
    connect(m_match, &QComboBox::currentIndexChanged, this, edited);
    updateState();
}

RequestScopesEditor::~RequestScopesEditor() = default;

RequestScopesEditor::Choice RequestScopesEditor::current() const
{
    return {m_scopes->selectedScopes(), m_none->isChecked(), ScopeMatch(m_match->currentData().toInt())};
}

void RequestScopesEditor::show(const Choice &choice)
{
    m_loading = true;
    // "No scope at all" keeps nothing checked: what the draft says is what is shown.
    m_scopes->setSelectedScopes(choice.none ? QStringList() : choice.scopes);
    m_none->setChecked(choice.none);
    m_match->setCurrentIndex(m_match->findData(int(choice.match)));
    m_loading = false;
    updateState();
}

void RequestScopesEditor::setEnvironment(const Environment &environment)
{
    // The first environment takes what is shown (a draft loaded before it was set); a switch
    // puts it aside and shows the other environment's own choice. The same environment edited
    // keeps what is checked in its new catalog (a scope it no longer lists stays checked, as not
    // in the catalog).
    const bool switching = environment.id != m_environmentId && !m_environmentId.isEmpty();
    if (switching)
        m_byEnvironment.insert(m_environmentId, current());
    m_environmentId = environment.id;
    m_loading = true;
    m_scopes->setCatalog(EnvironmentScopeCatalog::of(environment));
    m_loading = false;
    if (switching)
        show(m_byEnvironment.take(environment.id));
    m_environmentScopes = TokenScopes::normalized(environment.scopes);
    m_scopes->setEmptySelectionText(m_environmentScopes.isEmpty()
                                            ? tr("No scopes checked: the token is asked for the environment's scopes, and it names none")
                                            : tr("No scopes checked: the token is asked for the environment's, %1")
                                                      .arg(m_environmentScopes.join(QLatin1Char(' '))));
    updateState();
}

void RequestScopesEditor::apply(RequestDraft *draft) const
{
    const Choice choice = current();
    draft->noScopes = choice.none;
    draft->scopes = choice.none ? QStringList() : TokenScopes::normalized(choice.scopes);
    draft->scopeMatch = choice.match;
}

void RequestScopesEditor::load(const RequestDraft &draft)
{
    show({draft.noScopes ? QStringList() : TokenScopes::normalized(draft.scopes), draft.noScopes, draft.scopeMatch});
}

void RequestScopesEditor::updateState()
{
    const Choice choice = current();
    m_scopes->setEnabled(!choice.none);
    const bool named = choice.none || !TokenScopes::normalized(choice.scopes).isEmpty();
    // The environment's scopes are always "at least": they are what the Authorize dialog asks for.
    m_match->setEnabled(named);
    if (!named) {
        m_explanation->setText(tr("No scopes checked: the token is asked for the environment's scopes, and the current token is "
                                  "reused when it has them (whatever else it has)."));
    } else if (choice.none) {
        m_explanation->setText(choice.match == ScopeMatch::Exact
                                   ? tr("The token is asked for no scope; a token asked for any scope is not reused.")
                                   : tr("Any current token serves this request; without one, a token is asked for no scope."));
    } else {
        m_explanation->setText(choice.match == ScopeMatch::Exact
                                   ? tr("The token is asked for exactly these scopes. A current token asked for more (or fewer) is "
                                        "not reused, so the API answers as it would to a client with only these.")
                                   : tr("The current token is reused when it was asked for these scopes, with others or not; "
                                        "otherwise a token is asked for exactly these."));
    }
}

QString RequestScopesEditor::previewLine(const TokenScopes &scopes, const std::optional<AccessToken> &current, const QDateTime &now)
{
    const QString asked = tr("Token scopes: %1").arg(scopes.describe());
    if (!current)
        return tr("%1 — none held, one is fetched when sending").arg(asked);
    const QString held = current->requestedScopes.isEmpty() ? tr("no scope") : current->requestedScopes.join(QLatin1Char(' '));
    if (current->needsRenewal(now))
        return tr("%1 — the current token is about to expire; a new one is fetched when sending").arg(asked);
    if (!scopes.accepts(*current))
        return tr("%1 — the current token (asked for %2) is not reused; a new one is fetched when sending").arg(asked, held);
    return tr("%1 — the current token (asked for %2) is reused").arg(asked, held);
}
