#pragma once

#include "http/ApiCall.h"
#include "request/RequestDraft.h"
#include "interop/CurlCommand.h"
#include "workspace/Environment.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class Authorizer;
class AuthorizerTokenSource;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTableWidget;
class QTabWidget;
class QTableWidgetItem;
class RequestScopesEditor;
class RequestVariablesEditor;
class ReplayNotice;
class ResponseView;
struct ReplayPlan;
struct ResponseDisplay;

// One request: method, URL, query and header tables (with the environment's injected headers as
// marked rows that can be switched off or overridden), a body with live JSON validation, the
// resolved preview, and the answer below. Sending runs in an ApiCall; nothing here waits.
class ComposerView : public QWidget
{
    Q_OBJECT

public:
    explicit ComposerView(Authorizer *authorizer, QWidget *parent = nullptr);
    ~ComposerView() override;

    void setEnvironment(const Environment &environment);
    Environment environment() const { return m_environment; }

    RequestDraft draft() const;
    void setDraft(const RequestDraft &draft);
    QString title() const;
    bool isSending() const;
    ResponseView *responseView() const { return m_response; }
    const ApiCallResult &lastResult() const { return m_lastResult; }
    // The request as it would go on the wire now, credentials included (for "Copy as curl",
    // which replaces the token with a placeholder unless the user asks for the real one).
    CurlCommand::Request curlRequest() const;
    // Marks this composer as replaying a history entry: the notice says what it replays and
    // what differs, and the first send asks before sending anything that differs.
    void setReplay(const ReplayPlan &plan, const QString &origin);
    ReplayNotice *replayNotice() const { return m_replay; }

public Q_SLOTS:
    void send();
    void cancel();
    // Ctrl+L and a new tab: the URL, selected, ready to be typed over.
    void focusUrl();
    // Rebuilds the injected rows and the preview from the draft, the environment and its token.
    void refreshPreview();

Q_SIGNALS:
    void titleChanged(const QString &title);
    // Every finished exchange, for history.
    void exchanged(const RequestDraft &draft, const ApiCallResult &result);
    // From a 403's readout: authorize with the scopes the token was asked for plus those it lacked.
    void authorizeWithScopesRequested(const QStringList &scopes);

private:
    void buildUi();
    void start(bool productionConfirmed);
    void onFinished(const ApiCallResult &result);
    void showResult(const ApiCallResult &result);
    // The answer as it came (status, headers, body, timing), for the response view.
    static void describeAnswer(const ApiCallResult &result, ResponseDisplay *display);
    void validateBody();
    void loadBodyFile();
    void addFormRow(const QString &name, const QString &value, bool isFile, bool enabled);
    QList<RequestDraft::FormPart> formParts() const;
    void chooseFormFile();
    void addRow(QTableWidget *table, const QString &name = {}, const QString &value = {}, bool enabled = true);
    static QList<RequestDraft::Row> rows(const QTableWidget *table, bool skipInjected);
    void setSending(bool sending);
    void commitPendingEdit();
    void onHeaderItemChanged(QTableWidgetItem *item);
    void showInjectedRows(const QList<InjectedHeader> &shown, bool tokenComing);

    Authorizer *m_authorizer;
    Environment m_environment;
    AuthorizerTokenSource *m_tokens = nullptr;
    ApiCall *m_call = nullptr;
    ApiCallResult m_lastResult;
    bool m_updatingTables = false;
    bool m_confirming = false; // the production confirmation (or the upload consent) is open: nothing sent yet
    QStringList m_confirmedUploads; // files the user agreed to send to another origin, for this send only
    // The user's switches for injected headers, by lower-case name: they outlive the rebuilt rows.
    QHash<QString, RequestDraft::InjectionSwitch> m_switches;
    RequestDraft m_sentDraft; // as it was when sent: the history keeps this, not later edits

    QComboBox *m_method;
    QLineEdit *m_url;
    QPushButton *m_send;
    QPushButton *m_cancel;
    QTabWidget *m_tabs;
    QTableWidget *m_params;
    QTableWidget *m_headers;
    QComboBox *m_bodyType;
    QPlainTextEdit *m_body;
    QTableWidget *m_form;
    QStackedWidget *m_bodyPages;
    QLabel *m_bodyStatus;
    QCheckBox *m_bodyVariables;
    RequestScopesEditor *m_scopes;
    RequestVariablesEditor *m_variables;
    QPlainTextEdit *m_preview;
    QLabel *m_notice;
    ReplayNotice *m_replay;
    ResponseView *m_response;
};
