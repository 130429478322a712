#pragma once

#include "oauth/AccessToken.h"
#include "oauth/TokenIntrospection.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

// The token inspector's "Introspect" action for opaque tokens (RFC 7662): only the server can
// say what such a token is. Asks through introspectRequested() (the window hands it to the
// Authorizer) and shows the answer: active, scope, expiry, client, subject and the rest.
class IntrospectionPanel : public QWidget
{
    Q_OBJECT

public:
    explicit IntrospectionPanel(QWidget *parent = nullptr);

    // Shown for an opaque token only; a new token clears the last answer.
    void setToken(const AccessToken &token);
    void showResult(const IntrospectionResult &result);

Q_SIGNALS:
    void introspectRequested();

private:
    QPushButton *m_button;
    QLabel *m_status;
    QTableWidget *m_fields;
};
