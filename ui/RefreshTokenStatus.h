#pragma once

#include "oauth/AccessToken.h"

#include <QLabel>

// The token inspector's "Refresh token" line: whether one is held, where (this session's memory,
// or also the keychain when the environment keeps it) and when it was last used — the token
// shown came from it — never its value.
class RefreshTokenStatus : public QLabel
{
    Q_OBJECT

public:
    explicit RefreshTokenStatus(QWidget *parent = nullptr);

    void setToken(const AccessToken &token);
    bool isHeld() const { return m_held; }

private:
    bool m_held = false;
};
