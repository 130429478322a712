#pragma once

#include "oauth/GrantInteraction.h"
#include "oauth/TokenResponseParser.h"

#include <QObject>

#include <optional>

// One token request in flight — one POST, or a whole grant with a person in it (authorization
// code, device code). Emits finished() exactly once, then deletes itself later. What runs it (the
// TokenPost, a grant driver) is its child and stops when it finishes: cancel() ends it all.
class TokenFetch : public QObject
{
    Q_OBJECT

public:
    bool isFinished() const { return m_finished; }
    const TokenResult &result() const { return m_result; }
    // The last interaction asked for, for a caller that connects late (a second caller of a
    // coalesced fetch); empty until one is asked for.
    const std::optional<GrantInteraction> &interaction() const { return m_interaction; }

    // For the grant that runs this fetch: asks the caller to show what the person must do.
    void requireInteraction(const GrantInteraction &interaction);
    // For the grant that runs this fetch: its one answer. Later calls are ignored.
    void finish(const TokenResult &result);

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void finished(const TokenResult &result);
    void interactionRequired(const GrantInteraction &interaction);

private:
    friend class TokenClient;
    friend class TokenRenewal;
    explicit TokenFetch(QObject *parent = nullptr);

    bool m_finished = false;
    TokenResult m_result;
    std::optional<GrantInteraction> m_interaction;
};
