#pragma once

#include "EnvironmentPage.h"

class QFormLayout;
class QLabel;

// The Endpoints page: the provider's endpoints beyond the token URL (issuer, authorization,
// device authorization, revocation, introspection, JWKS), typed by hand or filled from the
// issuer's metadata. The authorization URL shows for the authorization code grant and the device
// authorization URL for the device grant, each required there.
class EnvironmentEndpointsPage : public EnvironmentPage
{
    Q_OBJECT

public:
    explicit EnvironmentEndpointsPage(QWidget *parent = nullptr);

    void load(const Environment &environment) override;
    void store(Environment &environment) const override;
    void check(const Environment &current, EnvironmentProblems &problems) override;
    QList<QWidget *> focusOrder() const override;
    void applyTones(const QPalette &base) override;

    // The form the endpoint rows are in (discovery's "Issuer URL…" row goes here too).
    QFormLayout *form() const { return m_form; }

private:
    struct Endpoint
    {
        QLineEdit *edit = nullptr;
        QLabel *message = nullptr;
        QString what; // "the authorization URL"
    };
    Endpoint addEndpoint(const QString &label, const QString &objectName, const QString &accessibleName, const QString &hint,
                         const QString &what);
    void checkEndpoint(const Endpoint &endpoint, bool required, EnvironmentProblems &problems);

    bool m_demo = false;
    QFormLayout *m_form = nullptr;
    Endpoint m_issuer;
    Endpoint m_authorization;
    Endpoint m_device;
    Endpoint m_revocation;
    Endpoint m_introspection;
    Endpoint m_jwks;
};
