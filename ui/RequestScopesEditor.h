#pragma once

#include "request/RequestDraft.h"
#include "http/TokenScopes.h"
#include "oauth/AccessToken.h"
#include "workspace/Environment.h"

#include <QHash>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDateTime;
class QLabel;
class ScopePicker;

// The composer's Scopes tab: the scopes the request's token is asked for, checked in the
// environment's catalog (the Authorize dialog's picker and EnvironmentScopeCatalog: an imported
// API's documented scopes with their descriptions, else the environment's own), a scope the
// catalog lacks typed in and shown as not in the catalog; none checked: the environment's; or
// explicitly none at all; and whether a held token with more scopes may serve them. What was
// chosen belongs to the environment it was chosen for: switching environments keeps it aside and
// shows what was chosen for the other one (nothing the first time), so a scope list meant for the
// sandbox never goes to production unseen.
class RequestScopesEditor : public QWidget
{
    Q_OBJECT

public:
    explicit RequestScopesEditor(QWidget *parent = nullptr);
    ~RequestScopesEditor() override;

    void setEnvironment(const Environment &environment);
    // Writes scopes, noScopes and scopeMatch.
    void apply(RequestDraft *draft) const;
    // Shows the draft's choice, for the current environment.
    void load(const RequestDraft &draft);

    // The Preview's line about the token: the scopes it is asked for, and whether the held one
    // (current, not yet checked for freshness) is reused or a new one is fetched.
    static QString previewLine(const TokenScopes &scopes, const std::optional<AccessToken> &current, const QDateTime &now);

Q_SIGNALS:
    void changed();

private:
    struct Choice
    {
        QStringList scopes;
        bool none = false;
        TokenScopes::Match match = TokenScopes::Match::Exact;
    };
    Choice current() const;
    void show(const Choice &choice);
    void updateState();

    QString m_environmentId;
    QStringList m_environmentScopes;
    QHash<QString, Choice> m_byEnvironment; // what was typed for the environments not shown
    bool m_loading = false;

    ScopePicker *m_scopes;
    QCheckBox *m_none;
    QComboBox *m_match;
    QLabel *m_explanation;
};
