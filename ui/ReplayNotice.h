#pragma once

#include "history/ReplayPlan.h"

#include <QLabel>
#include <QStringList>

#include <functional>

struct Environment;

// The line a replayed request carries at the top of its composer: what it replays and, when the
// replay cannot be exact, each thing that differs. Before the composer sends, confirmThen()
// asks the user to confirm those differences (plus a change of environment since the replay
// was opened); nothing is sent until they do.
class ReplayNotice : public QLabel
{
    Q_OBJECT

public:
    explicit ReplayNotice(QWidget *parent = nullptr);

    // "POST http://…/api/trades → 409 Conflict, 18:52 on Demo"
    static QString describe(const HistoryEntry &entry);

    // origin: one line naming the exchange replayed ("POST …/trades → 409 Conflict, 18:52 on Demo").
    void setPlan(const ReplayPlan &plan, const QString &origin);
    bool isActive() const { return m_active; }
    const ReplayPlan &plan() const { return m_plan; }

    // What differs when sending draft now on environment (resolved or not: only its id is
    // compared): the plan's differences, less the redacted values the user has typed again, plus
    // a change of environment since the replay was opened.
    QStringList differencesFor(const Environment &environment, const RequestDraft &draft) const;
    // Shows what differs for sending draft now on environment (after the tab's environment changed).
    void refresh(const Environment &environment, const RequestDraft &draft);
    // Calls send at once when nothing differs or the user already confirmed these differences;
    // otherwise asks without blocking and calls send only when the user says "Send anyway".
    void confirmThen(const Environment &environment, const RequestDraft &draft, const std::function<void()> &send);

private:
    void showDifferences(const QStringList &differences);

    bool m_active = false;
    ReplayPlan m_plan;
    QString m_origin;
    QStringList m_confirmed;
};
