#include "RequestScopesEditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

RequestScopesEditor::RequestScopesEditor(QWidget *parent)
    : QWidget(parent)
    , m_scopes(new QLineEdit(this))
    , m_none(new QCheckBox(tr("Ask for a token with no scope at all"), this))
    , m_match(new QComboBox(this))
    , m_explanation(new QLabel(this))
{
    m_scopes->setObjectName(QStringLiteral("requestScopes"));
    m_scopes->setAccessibleName(tr("Scopes this request needs"));
    m_scopes->setPlaceholderText(tr("empty: the environment's scopes"));
    m_none->setObjectName(QStringLiteral("requestNoScope"));
    m_none->setToolTip(tr("The token request carries no scope parameter: the server decides what the token may do."));
    m_match->setObjectName(QStringLiteral("requestScopeMatch"));
    m_match->setAccessibleName(tr("Which token may serve this request"));
    m_match->addItem(tr("A token with exactly these scopes"), int(TokenScopes::Match::Exact));
    m_match->addItem(tr("Reuse any token that has these scopes"), int(TokenScopes::Match::AtLeast));
    m_match->setItemData(0, tr("A token asked for more scopes is not reused: a new one is fetched. For negative tests."), Qt::ToolTipRole);
    m_match->setItemData(1, tr("The current token serves the request when it was asked for these scopes among others."), Qt::ToolTipRole);
    m_explanation->setObjectName(QStringLiteral("requestScopesExplanation"));
    m_explanation->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Scopes:"), m_scopes);
    form->addRow(QString(), m_none);
    form->addRow(tr("Token:"), m_match);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_explanation);
    layout->addStretch();

    const auto edited = [this] {
        updateState();
        if (!m_loading)
            Q_EMIT changed();
    };
    connect(m_scopes, &QLineEdit::textChanged, this, edited);
    connect(m_none, &QCheckBox::toggled, this, edited);
    connect(m_match, &QComboBox::currentIndexChanged, this, edited);
    updateState();
}

RequestScopesEditor::~RequestScopesEditor() = default;

RequestScopesEditor::Choice RequestScopesEditor::current() const
{
    return {m_scopes->text(), m_none->isChecked(), TokenScopes::Match(m_match->currentData().toInt())};
}

void RequestScopesEditor::show(const Choice &choice)
{
    m_loading = true;
    m_scopes->setText(choice.text);
    m_none->setChecked(choice.none);
    m_match->setCurrentIndex(m_match->findData(int(choice.match)));
    m_loading = false;
    updateState();
}

void RequestScopesEditor::setEnvironment(const Environment &environment)
{
    if (environment.id != m_environmentId) {
        // The first environment takes what is shown (a draft loaded before it was set); a switch
        // puts it aside and shows the other environment's own choice.
        if (!m_environmentId.isEmpty()) {
            m_byEnvironment.insert(m_environmentId, current());
            show(m_byEnvironment.take(environment.id));
        }
        m_environmentId = environment.id;
    }
    m_environmentScopes = TokenScopes::normalized(environment.scopes);
    m_scopes->setPlaceholderText(m_environmentScopes.isEmpty() ? tr("empty: the environment's scopes (it names none)")
                                                               : tr("empty: the environment's, %1").arg(m_environmentScopes.join(QLatin1Char(' '))));
    updateState();
}

void RequestScopesEditor::apply(RequestDraft *draft) const
{
    const Choice choice = current();
    draft->noScopes = choice.none;
    draft->scopes = choice.none ? QStringList() : TokenScopes::normalized({choice.text});
    draft->scopeMatch = choice.match;
}

void RequestScopesEditor::load(const RequestDraft &draft)
{
    show({draft.noScopes ? QString() : TokenScopes::normalized(draft.scopes).join(QLatin1Char(' ')), draft.noScopes, draft.scopeMatch});
}

void RequestScopesEditor::updateState()
{
    const Choice choice = current();
    m_scopes->setEnabled(!choice.none);
    const bool named = choice.none || !TokenScopes::normalized({choice.text}).isEmpty();
    // The environment's scopes are always "at least": they are what the Authorize dialog asks for.
    m_match->setEnabled(named);
    if (!named) {
        m_explanation->setText(tr("No scopes named: the token is asked for the environment's scopes, and the current token is "
                                  "reused when it has them (whatever else it has)."));
    } else if (choice.none) {
        m_explanation->setText(choice.match == TokenScopes::Match::Exact
                                   ? tr("The token is asked for no scope; a token asked for any scope is not reused.")
                                   : tr("Any current token serves this request; without one, a token is asked for no scope."));
    } else {
        m_explanation->setText(choice.match == TokenScopes::Match::Exact
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
