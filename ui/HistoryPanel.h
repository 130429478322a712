#pragma once

#include "history/HistoryEntry.h"

#include <QWidget>

class HistoryEntryView;
class HistoryModel;
class HistoryStore;
class QAction;
class QLineEdit;
class QPushButton;
class QTableView;

// The History dock's content: a search, the exchanges (method, status and URL in view at any
// width; time, environment, duration and size a right-click away), and the selected one in
// full below — the request as sent and the response as the response viewer shows any. Replay
// and Send Again hand the stored entry to whoever opens composers (MainWindow).
class HistoryPanel : public QWidget
{
    Q_OBJECT

public:
    // store: not owned; must outlive the panel.
    explicit HistoryPanel(HistoryStore *store, QWidget *parent = nullptr);

    HistoryModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    HistoryEntryView *entryView() const { return m_entryView; }
    // "Keep Secrets in History": checkable, off by default; for the View menu.
    QAction *keepSecretsAction() const { return m_keepSecrets; }

    void record(const HistoryEntry &entry);
    // The selected entry, read whole from the store; nullopt (and a message) when there is none.
    std::optional<HistoryEntry> currentEntry();

public Q_SLOTS:
    void replay();
    void sendAgain();
    void clearHistory();

Q_SIGNALS:
    // sendNow: send it at once (after confirming what differs) rather than only open it.
    void replayRequested(const HistoryEntry &entry, bool sendNow);
    void message(const QString &text);

private:
    void showCurrent();
    void showColumnMenu(const QPoint &at);
    void showRowMenu(const QPoint &at);

    HistoryStore *m_store;
    HistoryModel *m_model;
    QLineEdit *m_search;
    QTableView *m_view;
    HistoryEntryView *m_entryView;
    QPushButton *m_replay;
    QPushButton *m_sendAgain;
    QAction *m_keepSecrets;
};
