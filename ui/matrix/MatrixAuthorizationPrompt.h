#pragma once

#include "oauth/GrantInteraction.h"

#include <QDialog>
#include <QStringList>
#include <QUrl>

#include <functional>

class BrowserWaitPanel;
class Clock;
class DeviceCodePanel;
class QLabel;

// A scope matrix run on an environment whose grant needs a person (authorization code, device
// code): one token per scope set, so one consent or one user code per column. This small dialog
// shows each as the run asks for it — what the token is for (its scopes and columns, so a person
// knows what they approve), then BrowserWaitPanel or DeviceCodePanel as the Authorize dialog
// shows them. Cancel (the panels' button, Esc, closing) asks to stop the run; it hides itself
// once that token request is over.
class MatrixAuthorizationPrompt : public QDialog
{
    Q_OBJECT

public:
    explicit MatrixAuthorizationPrompt(const Clock *clock, QWidget *parent = nullptr);

    // How a URL reaches the browser (QDesktopServices::openUrl by default); tests capture it.
    void setUrlOpener(std::function<bool(const QUrl &)> opener);

    // purpose: what the token is for ("the scopes a b (scope set 1 of 2: needed: a b)").
    void showInteraction(const QStringList &scopes, const GrantInteraction &interaction, const QString &purpose);
    // The token request for these scopes ended: hides the prompt when it is the one shown.
    void interactionFinished(const QStringList &scopes);
    // The run is over: nothing is waited for any more.
    void dismiss();

    QStringList scopes() const { return m_scopes; }
    QString purposeText() const;

Q_SIGNALS:
    void cancelRequested();

protected:
    void reject() override;

private:
    QStringList m_scopes; // of the interaction shown
    QLabel *m_purpose;
    BrowserWaitPanel *m_browserPanel;
    DeviceCodePanel *m_devicePanel;
};
