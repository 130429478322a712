#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

// One request as the user composes it, before anything is resolved: {{variables}} are still
// templates, the URL may be relative to the environment's API base, and the headers the
// environment injects (Authorization, context headers) are not in it — only the per-request
// switches for them. A value: copy it, edit it, send it again.
struct RequestDraft
{
    // A query parameter or header row of the composer's tables.
    struct Row
    {
        QString name;
        QString value;        // may hold {{variables}}
        bool enabled = true;

        bool operator==(const Row &other) const = default;
    };

    // Switches one injected header for this request only: leave it out, or send another value.
    struct InjectionSwitch
    {
        QString headerName;            // "Authorization", "X-On-Behalf-Of"; case-insensitive
        bool disabled = false;
        std::optional<QString> value;  // replaces the injected value; may hold {{variables}}

        bool operator==(const InjectionSwitch &other) const = default;
    };

    QString method = QStringLiteral("GET");
    QString url;                       // absolute http(s) URL, or a path appended to the API base
    QList<Row> queryParams;
    QList<Row> headers;
    QByteArray body;
    QString contentType;               // empty: the Content-Type header row, else a guess from the body
    bool expandBodyVariables = true;   // only ever applied to a body that is valid UTF-8
    QStringList scopes;                // the scopes the token needs; empty: the environment's
    QList<QPair<QString, QString>> extraVariables; // win over the environment's variables
    QList<InjectionSwitch> injectionSwitches;

    const InjectionSwitch *switchFor(const QString &headerName) const;
    bool operator==(const RequestDraft &other) const = default;
};
