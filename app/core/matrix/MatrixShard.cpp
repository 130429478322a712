#include "matrix/MatrixShard.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QRegularExpression>

std::optional<MatrixShard> MatrixShard::parse(const QString &text, QString *error)
{
    static const QRegularExpression format(QStringLiteral("^\\s*(\\d{1,6})\\s*/\\s*(\\d{1,6})\\s*$"));
    const auto match = format.match(text);
    if (!match.hasMatch()) {
        if (error) {
            *error = QCoreApplication::translate("MatrixShard", "shard \"%1\" is not of the form K/N (e.g. 2/5)").arg(text);
        }
        return std::nullopt;
    }
    MatrixShard shard;
    shard.index = match.captured(1).toInt();
    shard.count = match.captured(2).toInt();
    if (shard.count < 1 || shard.count > MaxCount) {
        if (error) {
            *error = QCoreApplication::translate("MatrixShard", "shard \"%1\": N must be from 1 to %2")
                             .arg(text)
                             .arg(MaxCount);
        }
        return std::nullopt;
    }
    if (shard.index < 1 || shard.index > shard.count) {
        if (error) {
            *error = QCoreApplication::translate("MatrixShard", "shard \"%1\": K must be from 1 to %2")
                             .arg(text)
                             .arg(shard.count);
        }
        return std::nullopt;
    }
    return shard;
}

bool MatrixShard::contains(const QString &cellId) const
{
    if (count <= 1)
        return true;
    const QByteArray digest = QCryptographicHash::hash(cellId.toUtf8(), QCryptographicHash::Sha256);
    quint64 value = 0;
    for (int i = 0; i < 8; ++i)
        value = (value << 8) | static_cast<quint8>(digest.at(i));
    return value % static_cast<quint64>(count) == static_cast<quint64>(index - 1);
}

QString MatrixShard::toString() const
{
    return QStringLiteral("%1/%2").arg(index).arg(count);
}
